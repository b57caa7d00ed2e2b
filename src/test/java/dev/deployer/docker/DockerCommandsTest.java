package dev.deployer.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerCommandsTest {
  @Test
  void buildPassesEachValueAsOneArgument() {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("BASE", "busybox:1.36");
    args.put("NOTE", "two words; $(id)");
    assertEquals(
        List.of("docker", "build", "--tag", "hello:1", "--file", "/ctx/Dockerfile",
            "--build-arg", "BASE=busybox:1.36", "--build-arg", "NOTE=two words; $(id)",
            "--label", "a=b", "/ctx"),
        DockerCommands.build("hello:1", "/ctx", "/ctx/Dockerfile", args, Map.of("a", "b")));
  }

  @Test
  void imageLabelUsesDockersOwnTemplate() {
    assertEquals(
        List.of("docker", "image", "inspect", "--format", "{{ index .Config.Labels \"x\" }}", "img"),
        DockerCommands.imageLabel("img", "x"));
  }
}
