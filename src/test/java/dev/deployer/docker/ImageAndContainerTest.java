package dev.deployer.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.ssh.Command;
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

  private final List<List<String>> commands = new ArrayList<>();

  private Docker docker(Function<List<String>, CommandResult> answers) {
    return new Docker(new Remote() {
      @Override
      public CommandResult run(Command command, LineListener listener) {
        List<String> argv = ((Command.Argv) command).argv();
        commands.add(argv);
        return answers.apply(argv);
      }

      @Override
      public void upload(Path local, String remotePath, int mode) {}

      @Override
      public void close() {}
    });
  }

  private static CommandResult answer(List<String> argv, int code, String stdout, String stderr) {
    return new CommandResult(String.join(" ", argv), code, stdout, stderr, 1);
  }

  private static boolean startsWith(List<String> argv, String... words) {
    return argv.size() >= words.length && argv.subList(0, words.length).equals(List.of(words));
  }

  @Test
  void bothFoundInOneCall() {
    Docker.ImageAndContainer read = docker(c -> answer(c, 0, IMAGE + "\n" + CONTAINER + "\n", ""))
        .imageAndContainer("app:1", "app");
    assertEquals(Optional.of("sha256:aaa"), read.imageId());
    assertEquals("ccc", read.container().orElseThrow().path("Id").asText());
    assertEquals(List.of(List.of("docker", "inspect", "--format", "{{json .}}", "--", "app:1", "app")), commands);
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
    Docker.ImageAndContainer read = docker(c -> startsWith(c, "docker", "inspect")
        ? answer(c, 1, "", "Cannot connect to the Docker daemon\n")
        : startsWith(c, "docker", "image", "inspect") ? answer(c, 0, "sha256:aaa\n", "") : answer(c, 0, "[" + CONTAINER + "]", ""))
        .imageAndContainer("app:1", "app");
    assertEquals(Optional.of("sha256:aaa"), read.imageId());
    assertTrue(read.container().isPresent());
    assertEquals(3, commands.size(), commands.toString());
  }

  @Test
  void anImageReferenceThatCouldNameAContainerIsAskedSeparately() {
    docker(c -> startsWith(c, "docker", "image", "inspect") ? answer(c, 0, "sha256:aaa\n", "") : answer(c, 0, "[" + CONTAINER + "]", ""))
        .imageAndContainer("app", "app");
    assertEquals(2, commands.size(), commands.toString());
    assertTrue(startsWith(commands.get(0), "docker", "image", "inspect"), commands.toString());
  }
}
