package dev.deployer.task;

import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import java.util.List;

/**
 * Runs a command on the host. A string is a shell line (its {{values}} are quoted where they
 * land); a list is an argument vector. {@code creates}/{@code removes} make it idempotent: it
 * runs only while that path is missing (or present).
 */
public final class CommandTask implements Task {
  public static final TaskType TYPE = TaskType.named("command", "run a command: a string is a shell line, a list is argv")
      .freeForm(Arg.of("cmd", ArgKind.COMMAND, "the command line, or a list of arguments").required())
      .arg(Arg.string("creates", "a path on the host: when it exists, the command is not run"))
      .arg(Arg.string("removes", "a path on the host: when it does not exist, the command is not run"))
      .arg(Arg.string("chdir", "the directory to run in"))
      .create(CommandTask::new);

  private final Command command;
  private final String creates;
  private final String removes;

  CommandTask(Args args) {
    Object cmd = args.raw("cmd");
    Command given = cmd instanceof Command.UserLine line ? line
        : cmd instanceof List<?> ? Command.of(args.stringList("cmd"))
        : Command.UserLine.of(args.string("cmd"));
    if (given instanceof Command.UserLine line && line.shown().isBlank()) {
      throw args.error("cmd", "is empty");
    }
    this.command = args.has("chdir") ? Command.of("cd", args.string("chdir")).and(given) : given;
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
    CommandResult result = context.remote().run(command);
    TaskResult outcome = result.ok()
        ? TaskResult.changed("ran in " + result.millis() + " ms")
        : TaskResult.failed("exit code " + result.exitCode() + (result.exitCode() == 130 ? " (interrupted)" : "")
            + (result.errorSummary().isEmpty() ? "" : ": " + result.errorSummary()));
    return outcome.withOutput(result);
  }

  private static boolean exists(TaskContext context, String path) {
    return context.remote().run(Command.of("test", "-e", path)).ok();
  }
}
