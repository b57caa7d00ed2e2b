package dev.deployer.ssh;

/** What a remote command returned. */
public record CommandResult(String command, int exitCode, String stdout, String stderr, long millis) {
  public boolean ok() {
    return exitCode == 0;
  }

  /** The last lines of stderr (or stdout when stderr is empty), for a one-line failure message. */
  public String errorSummary() {
    String text = stderr.isBlank() ? stdout : stderr;
    String[] lines = text.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1].strip();
  }
}
