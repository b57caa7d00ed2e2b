package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Which builder docker_build asks for, from what docker answers; the ITs build on real engines. */
class DockerBuildTaskTest {
  private final List<String> builds = new ArrayList<>();

  /** A host whose image is missing and whose docker has no buildx, as Docker 23+ without the plugin. */
  private final Remote host = new Remote() {
    @Override
    public CommandResult run(Command command, LineListener listener) {
      String line = command.line();
      if (line.contains("docker build") || line.contains("docker' 'build") || line.startsWith("env ")) {
        builds.add(line);
        if (line.startsWith("env ")) {
          return new CommandResult(line, 1, "", "ERROR: BuildKit is enabled but the buildx component is missing or broken.", 1);
        }
        return new CommandResult(line, 0, "sha256:abc\n", "", 1);
      }
      if (line.contains("sha256sum")) {
        return new CommandResult(line, 0, "e3b0  ./Dockerfile\n", "", 1);
      }
      return new CommandResult(line, 1, "", "Error: No such image", 1);
    }

    @Override
    public void upload(Path local, String remotePath, int mode) {}

    @Override
    public void close() {}
  };

  private TaskResult build(Map<String, Object> args) {
    Args checked = Args.check(DockerBuildTask.TYPE, args, Map.of(), Location.of("test"));
    TaskContext context = new TaskContext("h1", host, new Docker(host), null, Clock.systemUTC(), false, Path.of("."),
        new TaskContext.RunInfo("run1", "me@here", false));
    return DockerBuildTask.TYPE.factory().apply(checked).run(context);
  }

  @Test
  void aHostWithoutBuildKitBuildsWithTheLegacyBuilder() {
    TaskResult result = build(Map.of("context", "/srv/app", "image", "app:1"));
    assertEquals(Status.CHANGED, result.status(), result.message());
    assertEquals(2, builds.size(), String.valueOf(builds));
    assertTrue(builds.get(0).startsWith("env DOCKER_BUILDKIT=1 docker build --progress plain"), builds.get(0));
    assertTrue(builds.get(1).startsWith("docker build --tag app:1"), builds.get(1));
  }

  @Test
  void buildkitFalseAsksForTheLegacyBuilderOnly() {
    TaskResult result = build(Map.of("context", "/srv/app", "image", "app:1", "buildkit", false));
    assertEquals(Status.CHANGED, result.status(), result.message());
    assertEquals(1, builds.size(), String.valueOf(builds));
    assertTrue(builds.get(0).startsWith("docker build --tag app:1"), builds.get(0));
  }
}
