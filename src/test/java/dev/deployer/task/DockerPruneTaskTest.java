package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deployer.docker.Docker;
import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.LineListener;
import dev.deployer.ssh.Remote;
import dev.deployer.yaml.Location;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What docker_prune decides from what docker answers, with the host handed in through the task's
 * context: the commands it would run, as argument lists. The testbed ITs show it on real Docker.
 */
class DockerPruneTaskTest {
  private final List<List<String>> ran = new ArrayList<>();

  /** docker's answers for a host with three images of app, the oldest of which a stopped container uses. */
  private final Remote host = new Remote() {
    @Override
    public CommandResult run(Command command, LineListener listener) {
      List<String> argv = ((Command.Argv) command).argv();
      ran.add(argv);
      String out = switch (String.join(" ", argv.subList(0, Math.min(3, argv.size())))) {
        case "docker image ls" -> "sha256:c|app:3\nsha256:b|app:2\nsha256:b|app:two\nsha256:a|app:1\n";
        case "docker ps -a" -> "c1\n";
        case "docker container inspect" -> "sha256:a\n";
        default -> "";
      };
      return new CommandResult(command.line(), 0, out, "", 1);
    }

    @Override
    public void upload(Path local, String remotePath, int mode) {}

    @Override
    public void close() {}
  };

  private TaskResult prune(int keep, boolean check) {
    Args args = Args.check(DockerPruneTask.TYPE, Map.of("repository", "app", "keep", keep), Map.of(), Location.of("test"));
    TaskContext context = new TaskContext("h1", host, new Docker(host), null, Clock.systemUTC(), check, Path.of("."),
        new TaskContext.RunInfo("run1", "me@here", false));
    return DockerPruneTask.TYPE.factory().apply(args).run(context);
  }

  @Test
  void removesEveryTagOfImagesBeyondKeepButNeverOneAContainerUses() {
    TaskResult result = prune(1, false);
    assertEquals(Status.CHANGED, result.status());
    assertEquals(List.of(
        List.of("docker", "image", "ls", "--no-trunc", "--format", "{{.ID}}|{{.Repository}}:{{.Tag}}", "--", "app"),
        List.of("docker", "ps", "-a", "-q"),
        List.of("docker", "container", "inspect", "--format", "{{.Image}}", "--", "c1"),
        List.of("docker", "image", "rm", "--", "app:2"),
        List.of("docker", "image", "rm", "--", "app:two")), ran);
  }

  @Test
  void checkModeRemovesNothing() {
    TaskResult result = prune(1, true);
    assertEquals("would remove app:2, app:two", result.message());
    assertEquals(3, ran.size(), ran.toString());
  }
}
