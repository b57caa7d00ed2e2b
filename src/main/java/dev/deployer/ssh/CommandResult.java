package dev.deployer.ssh;

import java.util.List;
import java.util.regex.Pattern;

/** What a remote command returned. */
public record CommandResult(String command, int exitCode, String stdout, String stderr, long millis) {
  public boolean ok() {
    return exitCode == 0;
  }

  /** How many lines of a failed command's output its error keeps. */
  static final int SUMMARY_LINES = 20;

  /**
   * What went wrong, from stderr (or stdout when stderr is empty): its last 20 lines, without the
   * docker CLI's closing "See 'docker create --help'." hint, which would hide the real message.
   */
  public String errorSummary() {
    String text = stderr.isBlank() ? stdout : stderr;
    List<String> lines = text.lines().map(String::strip)
        .filter(line -> !line.isEmpty() && !HELP_HINT.matcher(line).matches()).toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - SUMMARY_LINES), lines.size()));
  }

  private static final Pattern HELP_HINT = Pattern.compile("See '[^']*--help'\\.");
}
