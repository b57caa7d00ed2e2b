package dev.deployer.report;

import dev.deployer.inventory.Host;
import dev.deployer.persist.Persistence;
import dev.deployer.playbook.Play;
import dev.deployer.playbook.TaskSpec;
import dev.deployer.ssh.CommandResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Prints a run the way Ansible users read one: a header per play and task, a line per host as it
 * finishes, then a recap. Under --check (or -v) it also prints what differs; with -v, the
 * commands and their output.
 */
public final class ConsoleReporter implements Reporter {
  private final PrintWriter out;
  private final boolean color;
  private final boolean verbose;
  private final boolean showDiff;

  public ConsoleReporter(PrintWriter out, boolean color, boolean verbose, boolean check) {
    this.out = out;
    this.color = color;
    this.verbose = verbose;
    this.showDiff = check || verbose;
  }

  /** Colour only for a terminal that wants it (https://no-color.org); under an agent, the client's terminal. */
  public static boolean colorWanted() {
    String client = System.getProperty(Persistence.CLIENT_CONSOLE);
    boolean terminal = client != null ? Boolean.parseBoolean(client) : System.console() != null;
    return terminal && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"));
  }

  @Override
  public synchronized void playStarted(Play play, List<Host> hosts) {
    out.println();
    out.println(banner("PLAY [" + play.name() + "]"));
    if (hosts.isEmpty()) {
      out.println("skipping: no hosts matched '" + play.hosts() + "'");
    }
    out.flush();
  }

  @Override
  public synchronized void taskStarted(TaskSpec task) {
    out.println();
    out.println(banner("TASK [" + task.displayName() + "]"));
    out.flush();
  }

  @Override
  public synchronized void taskFinished(TaskRecord record) {
    String word = switch (record.status()) {
      case OK -> paint("32", "ok");
      case CHANGED -> paint("33", "changed");
      case FAILED -> paint("31", record.ignored() ? "failed (ignored)" : "failed");
      case SKIPPED -> paint("36", "skipping");
      case UNREACHABLE -> paint("31", "unreachable");
    };
    String time = record.millis() >= 1000 ? String.format(Locale.ROOT, " (%.1fs)", record.millis() / 1000.0) : "";
    // Later lines of a message (log tails, histories) are indented under their host's line.
    out.println(word + ": [" + record.host() + "] " + record.message().replace("\n", "\n    ") + time);
    out.flush();
    if (showDiff) {
      record.diff().forEach((field, change) ->
          out.println("    " + field + ": " + change.before() + " -> " + change.after()));
    }
    if (verbose) {
      // Their output was printed as it came (see output()).
      for (CommandResult command : record.commands()) {
        out.println("    $ " + command.command() + "   [rc=" + command.exitCode() + ", " + command.millis() + " ms]");
      }
    }
  }

  @Override
  public synchronized void output(String host, String line) {
    out.println("  " + paint("2", host + " |") + " " + line);
    out.flush();
  }

  @Override
  public synchronized void defect(String host, RuntimeException error) {
    if (verbose) {
      out.println("  " + host + " | internal error, please report it:");
      error.printStackTrace(out);
      out.flush();
    }
  }

  @Override
  public synchronized void note(String line) {
    out.println();
    out.println(paint("35", line));
    out.flush();
  }

  @Override
  public synchronized void finished(RunReport report) {
    out.println();
    out.println(banner("PLAY RECAP"));
    int width = report.hosts().keySet().stream().mapToInt(String::length).max().orElse(4);
    for (HostSummary host : report.hosts().values()) {
      String name = String.format(Locale.ROOT, "%-" + width + "s", host.host());
      boolean bad = host.failed() > 0 || host.unreachable() > 0;
      out.println(paint(bad ? "31" : host.changed() > 0 ? "33" : "32", name)
          + " : " + count("ok", host.ok(), "32") + " " + count("changed", host.changed(), "33")
          + " " + count("failed", host.failed(), "31") + " " + count("skipped", host.skipped(), "36")
          + " " + count("unreachable", host.unreachable(), "31") + " " + count("ignored", host.ignored(), "35")
          + String.format(Locale.ROOT, " time=%.1fs", host.millis() / 1000.0));
    }
    out.flush();
  }

  private String count(String label, int n, String code) {
    String text = label + "=" + n;
    return n > 0 ? paint(code, text) : text;
  }

  private static String banner(String title) {
    return title + " " + "*".repeat(Math.max(3, 72 - title.length()));
  }

  private String paint(String code, String text) {
    return color ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
  }
}
