package dev.deployer.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The docker commands as argument lists: each value one argument, whatever it holds. */
class DockerCommandsTest {
  @Test
  void buildPassesEachValueAsOneArgument() {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("BASE", "busybox:1.36");
    args.put("NOTE", "two words; $(id)");
    assertEquals(
        List.of("docker", "build", "--tag", "hello:1", "--file", "/ctx/Dockerfile",
            "--build-arg", "BASE=busybox:1.36", "--build-arg", "NOTE=two words; $(id)",
            "--label", "a=b", "--", "/ctx"),
        DockerCommands.build("hello:1", "/ctx", "/ctx/Dockerfile", args, Map.of("a", "b")).argv());
    assertEquals(
        List.of("env", "DOCKER_BUILDKIT=1", "docker", "build", "--progress", "plain", "--tag", "hello:1", "--file",
            "/ctx/Dockerfile", "--build-arg", "BASE=busybox:1.36", "--build-arg", "NOTE=two words; $(id)",
            "--label", "a=b", "--", "/ctx"),
        DockerCommands.buildWithBuildKit("hello:1", "/ctx", "/ctx/Dockerfile", args, Map.of("a", "b")).argv());
  }

  @Test
  void aHostWithoutBuildKitIsToldByWhatDockerSays() {
    assertTrue(DockerCommands.buildKitMissing(
        "ERROR: BuildKit is enabled but the buildx component is missing or broken.\n       Install the buildx component"));
    assertTrue(DockerCommands.buildKitMissing("unknown flag: --progress\nSee 'docker build --help'."));
    assertFalse(DockerCommands.buildKitMissing("ERROR: failed to solve: process \"/bin/sh -c false\" did not complete"));
  }

  @Test
  void imageLabelUsesDockersOwnTemplate() {
    assertEquals(
        List.of("docker", "image", "inspect", "--format", "{{ index .Config.Labels \"x\" }}", "--", "img"),
        DockerCommands.imageLabel("img", "x").argv());
  }

  @Test
  void createCarriesTheWholeSpecAndTheReleaseLabels() {
    ContainerSpec spec = new ContainerSpec("web", List.of("8080:80"), Map.of("DB", "x y"), "/etc/web.env",
        List.of("/srv/web:/data"), "backend", List.of("serve", "--port", "80"), "always", Map.of("team", "a"), 5);
    assertEquals(List.of("docker", "create", "--name", "web", "--publish", "8080:80", "--env", "DB=x y",
            "--env-file", "/etc/web.env", "--volume", "/srv/web:/data", "--network", "backend",
            "--restart", "always", "--stop-timeout", "5", "--label", "deployer.service=web", "--label", "team=a",
            "--", "web:2", "serve", "--port", "80"),
        DockerCommands.create("web", "web:2", spec, Map.of("deployer.service", "web")).argv());
  }

  @Test
  void lifecycleVerbs() {
    assertEquals(List.of("docker", "rename", "--", "web", "web_old_x"), DockerCommands.rename("web", "web_old_x").argv());
    assertEquals(List.of("docker", "stop", "--time", "10", "--", "web"), DockerCommands.stop("web", 10).argv());
    assertEquals(List.of("docker", "rm", "--force", "--", "web"), DockerCommands.forceRemove("web").argv());
    assertEquals(List.of("docker", "logs", "--tail", "20", "--follow", "--", "web"), DockerCommands.logs("web", 20, true).argv());
    assertEquals(List.of("docker", "ps", "-a", "--format", "{{.Names}}", "--filter", "name=^web_old_"),
        DockerCommands.containerNames("name=^web_old_").argv());
  }

  @Test
  void namesFollowDockersGrammar() {
    for (String good : List.of("hello", "hello:1.4.2", "127.0.0.1:5000/team/app:v2", "registry.example.com/a_b/c-d",
        "app@sha256:" + "a".repeat(64), "sha256:" + "0".repeat(64))) {
      assertTrue(DockerNames.IMAGE.matcher(good).matches(), good);
    }
    for (String bad : List.of("Hello", "app:", "a b", "app:-x", "/app", "app;rm")) {
      assertFalse(DockerNames.IMAGE.matcher(bad).matches(), bad);
    }
    assertTrue(DockerNames.CONTAINER.matcher("hello_old_1.a-b").matches());
    assertFalse(DockerNames.CONTAINER.matcher("bad name!").matches());
  }
}
