package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Apps;
import dev.deployer.testbed.Poller;
import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * swarm_service on a real Swarm: the testbed's hosts joined as one manager (h1) and two workers,
 * a service of three replicas created from the testbed's registry, left alone when nothing
 * changed, updated start-first, and a version whose tasks never become healthy rolled back by
 * Swarm, the task failing to say so; history and rollback read and use the spec Swarm keeps.
 */
class SwarmIT {
  private static final String MANAGER = "h1";
  private final Testbed testbed = new Testbed();
  private final String id = "sw" + UUID.randomUUID().toString().substring(0, 6);
  private final String repo = testbed.registry() + "/it/" + id;
  private static final int PORT = 18470;
  /** The testbed's Caddy, from its registry: every node pulls it as Swarm asks. */
  private final String proxyImage = testbed.registry() + "/testbed/caddy:2";

  @TempDir Path work;

  @BeforeEach
  void formSwarm() {
    testbed.docker(MANAGER, "swarm", "init", "--advertise-addr", testbed.address(MANAGER));
    String token = testbed.docker(MANAGER, "swarm", "join-token", "-q", "worker");
    for (String worker : List.of("h2", "h3")) {
      testbed.docker(worker, "swarm", "join", "--token", token, testbed.address(MANAGER) + ":2377");
    }
  }

  @AfterEach
  void leaveSwarm() {
    testbed.status(MANAGER, "docker", "service", "rm", id, id + "-proxy");
    for (String host : List.of("h3", "h2", MANAGER)) {
      testbed.status(host, "docker", "swarm", "leave", "--force");
    }
  }

  private Result play(String tag, String... options) throws Exception {
    return play(tag, "", options);
  }

  /** The service behind an edge proxy on every node's port {@value #PORT}. */
  private Result proxied(String tag, String... options) throws Exception {
    return play(tag, "proxy: {port: %d, app_port: 8080, image: \"%s\"}".formatted(PORT, proxyImage), options);
  }

  private Result play(String tag, String proxy, String... options) throws Exception {
    return testbed.play(work, MANAGER, """
        - swarm_service:
            name: %s
            image: "%s:%s"
            replicas: 3
            env: {GREETING: hello}
            update: {parallelism: 1, delay: 1s, order: start-first, failure_action: rollback, monitor: 5s}
            timeout: 180
            %s
        """.formatted(id, repo, tag, proxy), options);
  }

  /** The images the service's running tasks run, without their digests. */
  private List<String> runningImages() {
    return testbed.docker(MANAGER, "service", "ps", id, "--filter", "desired-state=running", "--format", "{{.Image}}")
        .lines().map(image -> image.replaceFirst("@sha256:.*$", "")).distinct().toList();
  }

  private String answers(String host) {
    try {
      return Poller.request(testbed.address(host), PORT, null, "/").body();
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  @Test
  void aServiceIsCreatedUpdatedStartFirstAndAFailedVersionIsRolledBackBySwarm() throws Exception {
    Testbed.waitUntil("three nodes ready", Duration.ofSeconds(30), () ->
        testbed.docker(MANAGER, "node", "ls", "--format", "{{.Status}}").lines().filter("Ready"::equals).count() == 3);
    Apps.build(testbed, work.resolve("images"), MANAGER, Map.of(id + ":v1", Apps.GOOD, id + ":v2", Apps.GOOD,
        id + ":v3", Apps.UNHEALTHY));
    for (String tag : List.of("v1", "v2", "v3")) {
      testbed.push(MANAGER, id + ":" + tag, repo + ":" + tag);
    }
    testbed.push(MANAGER, "testbed/caddy:2", proxyImage);

    Result created = play("v1");
    assertEquals(0, created.exitCode(), created.toString());
    assertTrue(created.out().contains("changed: [" + MANAGER + "] created " + id), created.out());
    assertEquals(3, created.out().lines().filter(line -> line.matches(" +" + id + "\\.\\d on \\S+: Running .*, " + repo + ":v1( \\([0-9.]+s\\))?"))
        .count(), created.out());
    assertEquals(List.of(repo + ":v1"), runningImages());
    Result again = play("v1");
    assertTrue(again.out().contains(MANAGER + " : ok=1 changed=0"), again.out());

    // Behind the edge proxy, every node answers on its port, whichever nodes run the tasks.
    Result behind = proxied("v1");
    assertEquals(0, behind.exitCode(), behind.toString());
    assertTrue(behind.out().contains("updated " + id + " (proxy)") && behind.out().contains("created " + id + "-proxy: port " + PORT
        + " on every node -> " + id + ":8080"), behind.out());
    for (String host : List.of("h1", "h2", "h3")) {
      Testbed.waitUntil(host + " answers on " + PORT, Duration.ofSeconds(30), () -> answers(host).equals("version v1"));
    }
    assertTrue(proxied("v1").out().contains(MANAGER + " : ok=1 changed=0"));

    Result broken;
    List<Poller.Answer> answers;
    try (Poller poller = new Poller(testbed.address("h2"), PORT, null, 40)) {
      Result check = proxied("v2", "--check");
      assertEquals(0, check.exitCode(), check.toString());
      assertTrue(check.out().contains("would update service " + id + " (image)"), check.out());
      assertTrue(check.out().contains("image: " + repo + ":v1 -> " + repo + ":v2"), check.out());
      assertEquals(List.of(repo + ":v1"), runningImages(), "--check changes nothing");

      Result updated = proxied("v2");
      assertEquals(0, updated.exitCode(), updated.toString());
      assertTrue(updated.out().contains("updated " + id + " from " + repo + ":v1 to " + repo + ":v2"), updated.out());
      assertEquals(List.of(repo + ":v2"), runningImages());
      assertEquals("start-first", testbed.docker(MANAGER, "service", "inspect", "--format",
          "{{.Spec.UpdateConfig.Order}}", id));

      // The verbs work on a service as on a container: Swarm keeps the spec before, and rolls back to it.
      Result history = Testbed.deployer("history", MANAGER, id, "-i", testbed.inventory().toString());
      assertEquals(0, history.exitCode(), history.toString());
      assertTrue(history.out().contains("* live " + repo + ":v2") && history.out().contains("  " + repo + ":v1 (previous spec"),
          history.out());
      Result rollback = Testbed.deployer("rollback", MANAGER, id, "-i", testbed.inventory().toString());
      assertEquals(0, rollback.exitCode(), rollback.toString());
      assertTrue(rollback.out().contains("rolled " + id + " back from " + repo + ":v2 to " + repo + ":v1"), rollback.out());
      assertEquals(List.of(repo + ":v1"), runningImages());
      assertEquals(0, proxied("v2").exitCode());

      broken = proxied("v3");
      answers = poller.answers();
    }
    assertEquals(2, broken.exitCode(), broken.toString());
    assertTrue(broken.out().contains("the update of " + id + " to " + repo + ":v3 failed and Swarm rolled it back"), broken.out());
    double seconds = (answers.get(answers.size() - 1).startMs() - answers.get(0).startMs()) / 1000.0;
    assertTrue(answers.size() / seconds >= 20, answers.size() + " requests in " + seconds + " s");
    assertEquals(List.of(), answers.stream().filter(a -> !a.ok()).toList(), "failed requests through the edge proxy");
    assertTrue(answers.stream().anyMatch(a -> a.body().equals("version v2")), "v2 never answered");
    assertTrue(answers.stream().noneMatch(a -> a.body().equals("version v3")), "v3, never healthy, answered");
    assertEquals(List.of(repo + ":v2"), runningImages(), "Swarm's rollback left v2 running");
    System.out.printf("SwarmIT poller: %d requests in %.1f s through the edge proxy, none failed%n", answers.size(), seconds);

    // Without proxy: the service goes back to Swarm's own endpoint, and its edge proxy is removed.
    Result plain = play("v2");
    assertEquals(0, plain.exitCode(), plain.toString());
    assertTrue(plain.out().contains("removed " + id + "-proxy"), plain.out());
    assertEquals("vip", testbed.docker(MANAGER, "service", "inspect", "--format", "{{.Spec.EndpointSpec.Mode}}", id));
    assertEquals("", testbed.docker(MANAGER, "service", "ls", "--filter", "name=" + id + "-proxy", "--format", "{{.Name}}"));
    assertEquals("", testbed.docker(MANAGER, "config", "ls", "--filter", "name=" + id + "-proxy-", "--format", "{{.Name}}"));
  }
}
