package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.DockerNames;
import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a command where the Docker Meta seed's {@code execute} order did: inside a running
 * container ({@code in_running}, the default), in a throwaway container of its image with its
 * volumes ({@code temporary}), in one made from a commit of its file system ({@code file_system}),
 * or on the host ({@code container: host}). {@code in_running} on a container that is not running
 * runs {@code temporary}, as the seed did. Output is registered as {@code command}'s is.
 */
public final class ExecTask implements Task {
  public static final String HOST = "host";

  public static final TaskType TYPE = TaskType.named("exec",
          "run a command in a container (running, temporary, or on a commit of its file system) or on the host")
      .arg(Arg.string("container", "the container, or host for the host itself").required()
          .matching(DockerNames.CONTAINER, DockerNames.CONTAINER_HELP))
      .arg(Arg.of("run", ArgKind.STRING_LIST, "the command as a list of arguments"))
      .arg(Arg.of("shell", ArgKind.COMMAND, "the command as a shell line, run by sh -c (its {{values}} quoted)"))
      .arg(Arg.string("type", "in_running (default), temporary or file_system").choices("in_running", "temporary", "file_system"))
      .arg(Arg.of("binds", ArgKind.STRING_LIST, "extra volumes for a temporary container, as docker run --volume takes them"))
      .arg(Arg.of("env", ArgKind.STRING_MAP, "environment variables for the command (values never shown)"))
      .arg(Arg.string("user", "the user inside the container"))
      .arg(Arg.string("workdir", "the directory to run in"))
      .arg(Arg.string("creates", "a path where the command runs: when it exists, the command is not run"))
      .arg(Arg.string("removes", "a path where the command runs: when it does not exist, the command is not run"))
      .create(ExecTask::new);

  private final String container;
  private final List<String> argv;
  private final String type;
  private final List<String> binds;
  private final Map<String, String> env;
  private final String user;
  private final String workdir;
  private final String creates;
  private final String removes;

  ExecTask(Args args) {
    this.container = args.string("container");
    if (args.has("run") == args.has("shell")) {
      throw args.error("run", "give run (a list of arguments) or shell (a line), one of them");
    }
    if (args.has("shell")) {
      Object shell = args.raw("shell");
      if (shell instanceof List<?>) {
        throw args.error("shell", "is a line; a list of arguments goes in run");
      }
      // Its {{values}} are quoted where they land, as in command's lines.
      Command.UserLine line = shell instanceof Command.UserLine given ? given : Command.UserLine.of(args.string("shell"));
      this.argv = List.of("sh", "-c", line.text());
    } else {
      this.argv = args.stringList("run");
      if (argv.isEmpty()) {
        throw args.error("run", "is empty");
      }
    }
    this.type = args.string("type", "in_running");
    this.binds = args.stringList("binds");
    this.env = args.stringMap("env");
    this.user = args.string("user", null);
    this.workdir = args.string("workdir", null);
    this.creates = args.string("creates", null);
    this.removes = args.string("removes", null);
    if (container.equals(HOST) && (user != null || !binds.isEmpty() || args.has("type"))) {
      throw args.error("container", "host runs the command on the host itself: user, binds and type are for containers");
    }
  }

  @Override
  public TaskResult run(TaskContext ctx) {
    Docker docker = ctx.docker();
    Optional<JsonNode> found = container.equals(HOST) ? Optional.empty() : docker.inspectContainer(container);
    if (!container.equals(HOST) && found.isEmpty()) {
      return TaskResult.failed("there is no container " + container);
    }
    String mode = container.equals(HOST) ? HOST : type;
    String note = "";
    if (mode.equals("in_running") && !found.get().path("State").path("Running").asBoolean()) {
      mode = "temporary";
      note = container + " is not running: ran in a temporary container of its image with its volumes; ";
    }
    String image = found.map(c -> c.path("Config").path("Image").asText()).orElse(null);
    String committed = null;
    try {
      if (mode.equals("file_system") && !ctx.check()) {
        committed = "deployer-exec:" + HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
        docker.run("commit " + container, DockerCommands.commit(container, committed));
        image = committed;
      }
      if (creates != null && !ctx.check() && run(ctx, mode, image, List.of("test", "-e", creates)).ok()) {
        return TaskResult.ok(note + creates + " exists; not run");
      }
      if (removes != null && !ctx.check() && !run(ctx, mode, image, List.of("test", "-e", removes)).ok()) {
        return TaskResult.ok(note + removes + " does not exist; not run");
      }
      if (ctx.check()) {
        return TaskResult.changed("would run " + describe(mode));
      }
      CommandResult result = run(ctx, mode, image, argv);
      TaskResult outcome = result.ok()
          ? TaskResult.changed(note + "ran " + describe(mode) + " in " + result.millis() + " ms")
          : TaskResult.failed(note + "exit code " + result.exitCode() + " " + describe(mode)
              + (result.errorSummary().isEmpty() ? "" : ": " + result.errorSummary()));
      return outcome.withOutput(result);
    } finally {
      if (committed != null) {
        docker.attempt(DockerCommands.removeImage(committed));
      }
    }
  }

  private String describe(String mode) {
    return switch (mode) {
      case HOST -> "on the host";
      case "in_running" -> "in " + container;
      case "temporary" -> "in a temporary container of " + container + "'s image";
      default -> "on a commit of " + container + "'s file system";
    };
  }

  private CommandResult run(TaskContext ctx, String mode, String image, List<String> command) {
    if (mode.equals(HOST)) {
      List<String> words = new ArrayList<>(List.of("env"));
      env.forEach((k, v) -> words.add(k + "=" + v));
      words.addAll(command);
      Command line = Command.of(words);
      return ctx.remote().run(workdir == null ? line : Command.of("cd", "--", workdir).and(line));
    }
    List<String> options = new ArrayList<>();
    if (user != null) {
      options.addAll(List.of("--user", user));
    }
    if (workdir != null) {
      options.addAll(List.of("--workdir", workdir));
    }
    env.forEach((k, v) -> options.addAll(List.of("--env", k + "=" + v)));
    if (mode.equals("in_running")) {
      List<String> words = new ArrayList<>(options);
      words.add("--");
      words.add(container);
      words.addAll(command);
      return ctx.remote().run(DockerCommands.execWith(words));
    }
    options.addAll(List.of("--volumes-from", container));
    binds.forEach(bind -> options.addAll(List.of("--volume", bind)));
    options.addAll(List.of("--entrypoint", command.get(0)));
    return ctx.remote().run(DockerCommands.runOnce(image, options, command.subList(1, command.size())));
  }
}
