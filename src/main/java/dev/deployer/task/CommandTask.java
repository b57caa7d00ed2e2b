package dev.deployer.task;

import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.ShellQuote;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a command on the host. A string is a shell line (its {{values}} are quoted where they
 * land); a list is an argument vector. {@code creates}/{@code removes} make it idempotent: it
 * runs only while that path is missing (or present).
 */
public final class CommandTask implements Task {
  public static final TaskType TYPE = new TaskType(
      "command",
      "cmd",
      Map.of("cmd", ArgKind.COMMAND, "creates", ArgKind.STRING, "removes", ArgKind.STRING, "chdir", ArgKind.STRING),
      Set.of("cmd"),
      CommandTask::new);

  private final String commandLine;
  private final String creates;
  private final String removes;

  CommandTask(Args args) {
    Object cmd = args.raw("cmd");
    String line = cmd instanceof List<?> ? ShellQuote.join(args.stringList("cmd")) : args.string("cmd");
    if (line.isBlank()) {
      throw args.error("cmd", "is empty");
    }
    if (args.has("chdir")) {
      line = "cd " + ShellQuote.quote(args.string("chdir")) + " && " + line;
    }
    // One shell for every host, whatever the login shell is.
    this.commandLine = "sh -c " + ShellQuote.quote(line);
    this.creates = args.string("creates", null);
    this.removes = args.string("removes", null);
  }

  @Override
  public TaskResult run(TaskContext context) {
    if (creates != null && exists(context, creates)) {
      return TaskResult.ok(creates + " exists; not run");
    }
    if (removes != null && !exists(context, removes)) {
      return TaskResult.ok(removes + " does not exist; not run");
    }
    if (context.check()) {
      return TaskResult.changed("would run the command");
    }
    CommandResult result = context.remote().run(commandLine);
    TaskResult outcome = result.ok()
        ? TaskResult.changed("ran in " + result.millis() + " ms")
        : TaskResult.failed("exit code " + result.exitCode() + (result.exitCode() == 130 ? " (interrupted)" : "")
            + (result.errorSummary().isEmpty() ? "" : ": " + result.errorSummary()));
    return outcome
        .withData("rc", result.exitCode())
        .withData("stdout", result.stdout())
        .withData("stderr", result.stderr())
        .withData("stdout_lines", result.stdout().lines().toList());
  }

  private static boolean exists(TaskContext context, String path) {
    return context.remote().run("test -e " + ShellQuote.quote(path)).ok();
  }
}
