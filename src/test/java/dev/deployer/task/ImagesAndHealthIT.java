package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Apps;
import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check_health, docker_image and docker_prune on real hosts. */
class ImagesAndHealthIT {
  private static final List<String> HOSTS = List.of("h1", "h2", "h3");

  @TempDir Path work;
  private final Testbed testbed = new Testbed();
  private final String service = "img" + UUID.randomUUID().toString().substring(0, 6);
  private final int port = 20000 + Math.floorMod(service.hashCode(), 10000); // under the ephemeral ports

  @AfterEach
  void removeContainers() {
    testbed.removeContainers(service, HOSTS.toArray(String[]::new));
  }

  private Result play(String yaml, String... extra) throws IOException {
    Path book = work.resolve("play-" + UUID.randomUUID() + ".yml");
    Files.writeString(book, yaml);
    List<String> args = new java.util.ArrayList<>(List.of("play", book.toString(), "-i", testbed.inventory().toString()));
    args.addAll(List.of(extra));
    return Testbed.deployer(args.toArray(String[]::new));
  }

  @Test
  void checkHealthRestartsAContainerThatWentUnhealthy() throws Exception {
    Apps.build(testbed, work, "h1", Map.of(service + ":1", Apps.KILLABLE));
    assertEquals(0, play("""
        - hosts: h1
          tasks:
            - swap_container: {name: %s, image: "%1$s:1", ports: ["%d:8080"], stop_timeout: 1}
        """.formatted(service, port)).exitCode());
    String checkHealth = """
        - hosts: h1
          tasks:
            - check_health:
                containers: [%s]
                restart_unhealthy: %s
                stop_timeout: 1
                http: {url: "http://127.0.0.1:%d/", match: "version 1"}
        """;
    Result healthy = play(checkHealth.formatted(service, "true", port));
    assertEquals(0, healthy.exitCode(), healthy.toString());
    assertTrue(healthy.out().contains(service + ": running, healthy"), healthy.out());

    testbed.docker("h1", "exec", service, "killall", "httpd");
    // Docker decides after interval x retries of the app's HEALTHCHECK: well inside 20 seconds.
    Testbed.waitUntil(service + " is marked unhealthy", java.time.Duration.ofSeconds(20),
        () -> testbed.docker("h1", "inspect", "--format", "{{.State.Health.Status}}", service).equals("unhealthy"));
    assertEquals("down", Apps.get(testbed.address("h1"), port).substring(0, 4));

    Result report = play(checkHealth.formatted(service, "false", port));
    assertEquals(2, report.exitCode(), report.toString());
    assertTrue(report.out().contains("failed: [h1] failing: " + service), report.out());

    Result restarted = play(checkHealth.formatted(service, "true", port));
    assertEquals(0, restarted.exitCode(), restarted.toString());
    assertTrue(restarted.out().contains("changed: [h1] restarted " + service + ", healthy again"), restarted.out());
    assertEquals("version 1", Apps.get(testbed.address("h1"), port));
  }

  @Test
  void anImagePushedToTheRegistryIsPulledAndSwappedInOnEveryHost() throws IOException {
    String remote = testbed.registry() + "/it/" + service + ":1";
    Apps.build(testbed, work, "h1", Map.of(service + ":1", Apps.GOOD));
    testbed.docker("h1", "tag", service + ":1", remote);
    testbed.docker("h1", "push", remote);

    String deploy = """
        - hosts: web
          tasks:
            - docker_image: {action: pull, image: "%s"}
            - swap_container: {name: %s, image: "%1$s", ports: ["%d:8080"], stop_timeout: 1}
        """.formatted(remote, service, port);
    Result first = play(deploy);
    assertEquals(0, first.exitCode(), first.toString());
    assertTrue(first.out().contains("changed: [h2] pulled " + remote), first.out());
    for (String host : HOSTS) {
      assertEquals("version 1", Apps.get(testbed.address(host), port));
    }
    Result again = play(deploy);
    assertEquals(0, again.exitCode(), again.toString());
    assertTrue(again.out().contains("ok: [h3] " + remote + " is up to date"), again.out());
    assertTrue(again.out().contains("h2 : ok=2 changed=0"), again.out());
  }

  @Test
  void loadTagRemoveAndPruneChangeOnlyWhatDiffers() throws IOException {
    Apps.build(testbed, work, "h2", Map.of(service + ":1", Apps.GOOD, service + ":2", Apps.GOOD, service + ":3", Apps.GOOD));
    String tar = "/opt/" + service + ".tar";
    testbed.docker("h2", "save", "--output", tar, service + ":1");
    testbed.docker("h2", "image", "rm", service + ":1");

    String images = """
        - hosts: h2
          tasks:
            - docker_image: {action: load, path: "%s"}
            - docker_image: {action: tag, source: "%s:1", image: "%2$s:stable"}
            - docker_image: {action: remove, image: "%2$s:3"}
        """.formatted(tar, service);
    Result first = play(images);
    assertEquals(0, first.exitCode(), first.toString());
    assertTrue(first.out().contains("changed: [h2] loaded " + service + ":1 from " + tar), first.out());
    assertTrue(first.out().contains("h2 : ok=0 changed=3"), first.out());
    assertEquals(testbed.docker("h2", "image", "inspect", "--format", "{{.Id}}", service + ":1"),
        testbed.docker("h2", "image", "inspect", "--format", "{{.Id}}", service + ":stable"));
    assertNotEquals(0, testbed.status("h2", "docker", "image", "inspect", service + ":3"));
    Result second = play(images);
    assertTrue(second.out().contains("h2 : ok=3 changed=0"), second.out());

    // Keep the newest one: :2 goes, :1 (and :stable, the same image) is spared because a container uses it.
    testbed.docker("h2", "create", "--name", service + "-user", service + ":1");
    Result prune = play("- hosts: h2\n  tasks:\n    - docker_prune: {repository: " + service + ", keep: 0}\n");
    assertEquals(0, prune.exitCode(), prune.toString());
    assertTrue(prune.out().contains("removed " + service + ":2"), prune.out());
    assertNotEquals(0, testbed.status("h2", "docker", "image", "inspect", service + ":2"));
    assertEquals(0, testbed.status("h2", "docker", "image", "inspect", service + ":1"));
  }
}
