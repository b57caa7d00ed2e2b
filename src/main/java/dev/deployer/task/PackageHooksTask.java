package dev.deployer.task;

import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * IPD's deploy flow for an unpacked package on the host: {@code control.sh check}, then {@code
 * control.sh prepare} when the check did not return 1, then {@code control.sh deploy}, which
 * succeeds by returning 1 (IPD's convention). Any other code fails the task, and the server
 * reports that number as the deployment's state, as IPD did.
 */
public final class PackageHooksTask implements Task {
  public static final TaskType TYPE = TaskType.named("package_hooks",
          "run a package's control.sh as IPD did: check, prepare when the check fails, deploy (1 = success)")
      .arg(Arg.string("dir", "the unpacked package on the host").required().absolutePath())
      .arg(Arg.string("control", "the control script, relative to dir (default: control.sh)"))
      .arg(Arg.of("env", ArgKind.STRING_MAP, "its environment besides PATH (DEPLOY, PROJECT, IMAGE, TAG)"))
      .create(PackageHooksTask::new);

  /** Runs one phase in the package's directory: the script itself when it is executable, else with sh. */
  private static final String PHASE = "cd -- \"$1\" && if [ -x \"./$2\" ]; then exec \"./$2\" \"$3\"; else exec sh \"./$2\" \"$3\"; fi";
  /** IPD's word for a phase that went well. */
  private static final int SUCCESS = 1;
  private static final int SHOWN_LINES = 40;

  private final String dir;
  private final String control;
  private final Map<String, String> env;

  PackageHooksTask(Args args) {
    this.dir = args.string("dir").replaceAll("/+$", "");
    this.control = args.string("control", "control.sh");
    this.env = new TreeMap<>(args.stringMap("env"));
    if (control.startsWith("/") || control.contains("..")) {
      throw args.error("control", "is a file inside dir (such as control.sh), not '" + control + "'");
    }
  }

  @Override
  public TaskResult run(TaskContext ctx) {
    if (!ctx.remote().run(Command.of("test", "-f", dir + "/" + control)).ok()) {
      return TaskResult.failed("no " + control + " in " + dir + ": the package must have one");
    }
    if (ctx.check()) {
      return TaskResult.changed("would run " + control + " check (then prepare unless it returns 1), then deploy, in " + dir);
    }
    StringBuilder output = new StringBuilder();
    CommandResult check = phase(ctx, "check", output);
    List<String> steps = new ArrayList<>(List.of("check returned " + check.exitCode()));
    TaskResult result = TaskResult.changed("").withData("check_exit", check.exitCode());
    if (check.exitCode() != SUCCESS) {
      CommandResult prepare = phase(ctx, "prepare", output);
      steps.add("prepare returned " + prepare.exitCode());
      result = result.withData("prepare_exit", prepare.exitCode());
    }
    CommandResult deploy = phase(ctx, "deploy", output);
    steps.add("deploy returned " + deploy.exitCode());
    result = result.withData("deploy_exit", deploy.exitCode()).withData("stdout", output.toString());
    String said = tail(output.toString());
    if (deploy.exitCode() != SUCCESS) {
      return result.withStatus(Status.FAILED).withMessage(control + ": " + String.join(", ", steps)
          + " (" + SUCCESS + " is success)" + said);
    }
    return result.withMessage(control + ": " + String.join(", ", steps) + said);
  }

  private CommandResult phase(TaskContext ctx, String phase, StringBuilder output) {
    List<String> argv = new ArrayList<>(List.of("env"));
    env.forEach((name, value) -> argv.add(name + "=" + value));
    argv.addAll(List.of("sh", "-c", PHASE, "sh", dir, control, phase));
    CommandResult result = ctx.remote().run(Command.of(argv));
    output.append("[").append(phase).append("]\n").append(result.stdout()).append(result.stderr());
    if (!output.isEmpty() && output.charAt(output.length() - 1) != '\n') {
      output.append('\n');
    }
    return result;
  }

  /** The script's last lines, for the run log. */
  private static String tail(String output) {
    List<String> lines = output.strip().lines().toList();
    return lines.isEmpty() ? "" : "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - SHOWN_LINES), lines.size()));
  }
}
