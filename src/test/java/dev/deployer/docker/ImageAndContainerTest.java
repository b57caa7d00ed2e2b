package dev.deployer.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.LineListener;
import dev.deployer.ssh.Remote;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** How one docker inspect of an image and a container is read: docker's answers as it gives them. */
class ImageAndContainerTest {
  private static final String IMAGE = "{\"Id\":\"sha256:aaa\",\"RepoTags\":[\"app:1\"]}";
  private static final String CONTAINER = "{\"Id\":\"ccc\",\"Name\":\"/app\",\"State\":{\"Running\":true}}";

  private final List<String> commands = new ArrayList<>();

  private Docker docker(Function<String, CommandResult> answers) {
    return new Docker(new Remote() {
      @Override
      public CommandResult run(String commandLine, LineListener listener) {
        commands.add(commandLine);
        return answers.apply(commandLine);
      }

      @Override
      public void upload(Path local, String remotePath, int mode) {}

      @Override
      public void close() {}
    });
  }

  private static CommandResult answer(String command, int code, String stdout, String stderr) {
    return new CommandResult(command, code, stdout, stderr, 1);
  }

  @Test
  void bothFoundInOneCall() {
    Docker.ImageAndContainer read = docker(c -> answer(c, 0, IMAGE + "\n" + CONTAINER + "\n", ""))
        .imageAndContainer("app:1", "app");
    assertEquals(Optional.of("sha256:aaa"), read.imageId());
    assertEquals("ccc", read.container().orElseThrow().path("Id").asText());
    assertEquals(1, commands.size());
  }

  @Test
  void aMissingImageIsNamedOnStderrSoTheOneObjectIsTheContainer() {
    Docker.ImageAndContainer read = docker(c -> answer(c, 1, CONTAINER + "\n", "Error: No such object: app:1\n"))
        .imageAndContainer("app:1", "app");
    assertEquals(Optional.empty(), read.imageId());
    assertTrue(read.container().isPresent());
  }

  @Test
  void aContainerNameThatFindsAnImageIsNoContainer() {
    // No container "app", but an image app:latest: docker answers with the image for that name.
    Docker.ImageAndContainer read = docker(c -> answer(c, 0, IMAGE + "\n" + IMAGE.replace("aaa", "bbb") + "\n", ""))
        .imageAndContainer("app:1", "app");
    assertEquals(Optional.of("sha256:aaa"), read.imageId());
    assertEquals(Optional.empty(), read.container());
  }

  @Test
  void anythingUnexpectedFallsBackToTwoCalls() {
    Docker.ImageAndContainer read = docker(c -> c.startsWith("docker inspect")
        ? answer(c, 1, "", "Cannot connect to the Docker daemon\n")
        : c.startsWith("docker image inspect") ? answer(c, 0, "sha256:aaa\n", "") : answer(c, 0, "[" + CONTAINER + "]", ""))
        .imageAndContainer("app:1", "app");
    assertEquals(Optional.of("sha256:aaa"), read.imageId());
    assertTrue(read.container().isPresent());
    assertEquals(3, commands.size(), commands.toString());
  }

  @Test
  void anImageReferenceThatCouldNameAContainerIsAskedSeparately() {
    docker(c -> c.startsWith("docker image inspect") ? answer(c, 0, "sha256:aaa\n", "") : answer(c, 0, "[" + CONTAINER + "]", ""))
        .imageAndContainer("app", "app");
    assertEquals(2, commands.size(), commands.toString());
    assertTrue(commands.get(0).startsWith("docker image inspect"), commands.toString());
  }
}
