package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Apps;
import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health-gated swaps on real hosts: users check by HTTP from outside, and with docker ps. */
class SwapContainerIT {
  private static final List<String> HOSTS = List.of("h1", "h2", "h3");

  @TempDir Path work;
  private final Testbed testbed = new Testbed();
  private final String service = "svc" + UUID.randomUUID().toString().substring(0, 6);
  /** Each test its own port, so a container another test left cannot answer for this one. */
  private final int port = 20000 + Math.floorMod(service.hashCode(), 10000); // under the ephemeral ports

  @AfterEach
  void removeContainers() {
    testbed.removeContainers(service, HOSTS.toArray(String[]::new));
    for (String host : HOSTS) {
      testbed.status(host, "docker", "volume", "rm", service + "-data");
    }
  }

  private Result deploy(String hosts, String tag, String... extra) throws IOException {
    Path book = work.resolve("deploy-" + UUID.randomUUID() + ".yml");
    Files.writeString(book, """
        - hosts: %s
          tasks:
            - name: Swap
              swap_container:
                name: %s
                image: "%s:{{tag}}"
                ports: ["%d:8080"]
                stop_timeout: 1
                health:
                  http: {url: "http://127.0.0.1:%4$d/", match: "version"}
        """.formatted(hosts, service, service, port));
    List<String> args = new java.util.ArrayList<>(List.of("play", book.toString(), "-i", testbed.inventory().toString(),
        "-e", "tag=" + tag));
    args.addAll(List.of(extra));
    return Testbed.deployer(args.toArray(String[]::new));
  }

  /** A service with ports, env and a volume: the configuration rollbacks and redeploys must keep. */
  private Path configuredPlaybook() throws IOException {
    Path book = work.resolve("configured.yml");
    Files.writeString(book, """
        - hosts: web
          tasks:
            - swap_container:
                name: %1$s
                image: "%1$s:{{tag}}"
                ports: ["%2$d:8080"]
                env: {GREETING: "{{greeting}}"}
                volumes: ["%1$s-data:/data"]
                stop_timeout: 1
        """.formatted(service, port));
    return book;
  }

  /** The page, and the env and volume of configuredPlaybook() with greeting=one, all still there. */
  private void assertServesWithTheFirstConfiguration(String host, String page) {
    assertEquals(page, serving(host));
    String env = testbed.docker(host, "inspect", "--format", "{{json .Config.Env}}", service);
    assertTrue(env.contains("GREETING=one"), env);
    String mounts = testbed.docker(host, "inspect", "--format", "{{range .Mounts}}{{.Name}}:{{.Destination}}{{end}}", service);
    assertEquals(service + "-data:/data", mounts);
  }

  private String serving(String host) {
    return Apps.get(testbed.address(host), port);
  }

  private List<String> containers(String host) {
    return testbed.docker(host, "ps", "-a", "--format", "{{.Names}} {{.Image}} {{.State}}").lines()
        .filter(line -> line.startsWith(service)).toList();
  }

  @Test
  void firstDeployServesOnEveryHostAndTheSameRunAgainChangesNothing() throws IOException {
    Apps.build(testbed, work, "web", Map.of(service + ":1", Apps.GOOD));
    Result first = deploy("web", "1");
    assertEquals(0, first.exitCode(), first.toString());
    for (String host : HOSTS) {
      assertEquals("version 1", serving(host));
      assertEquals(List.of(service + " " + service + ":1 running"), containers(host));
    }
    assertTrue(first.out().contains("from the image's HEALTHCHECK"), first.out());

    Result again = deploy("web", "1");
    assertEquals(0, again.exitCode(), again.toString());
    for (String host : HOSTS) {
      assertTrue(again.out().contains(host + " : ok=1 changed=0 failed=0"), again.out());
    }
  }

  @Test
  void rollbackServesThePreviousVersionWithItsWholeConfiguration() throws IOException {
    Apps.build(testbed, work, "web", Map.of(service + ":1", Apps.GOOD, service + ":2", Apps.GOOD));
    Path book = configuredPlaybook();
    String inventory = testbed.inventory().toString();
    assertEquals(0, Testbed.deployer("play", book.toString(), "-i", inventory, "-e", "tag=1", "-e", "greeting=one").exitCode());
    // Version 2 comes with another env value and without... nothing else: the rollback must bring back "one".
    assertEquals(0, Testbed.deployer("play", book.toString(), "-i", inventory, "-e", "tag=2", "-e", "greeting=two").exitCode());
    for (String host : HOSTS) {
      assertEquals("version 2", serving(host));
    }

    Result rollback = Testbed.deployer("rollback", service, "-i", inventory);
    assertEquals(0, rollback.exitCode(), rollback.toString());
    for (String host : HOSTS) {
      assertServesWithTheFirstConfiguration(host, "version 1");
    }

    Result history = Testbed.deployer("history", service, "-i", inventory, "--hosts", "h1");
    assertEquals(0, history.exitCode(), history.toString());
    assertTrue(history.out().contains(service + ": 3 release(s), newest first"), history.out());
    assertTrue(history.out().matches("(?s).*\\* live " + service + ":1 .*\\n\\s+" + service + ":2 .*\\n\\s+" + service + ":1 .*"),
        history.out());

    Result unknown = Testbed.deployer("rollback", service, "-i", inventory, "--hosts", "h1", "--to", "nope:9");
    assertEquals(2, unknown.exitCode(), unknown.toString());
    assertTrue(unknown.out().contains("no earlier release of " + service + " matches 'nope:9'"), unknown.out());
  }

  @Test
  void aNewVersionFromTheShellKeepsTheRecordedConfiguration() throws IOException {
    Apps.build(testbed, work, "web", Map.of(service + ":1", Apps.GOOD, service + ":2", Apps.GOOD));
    Path book = configuredPlaybook();
    String inventory = testbed.inventory().toString();
    assertEquals(0, Testbed.deployer("play", book.toString(), "-i", inventory, "-e", "tag=1", "-e", "greeting=one").exitCode());

    // No services file and no playbook: the shell's deploy takes the rest from the live container.
    Result redeploy = Testbed.deployer("shell", "-i", inventory, "--services", work.resolve("none.yml").toString(),
        "-c", "use web; deploy " + service + " 2");
    assertEquals(0, redeploy.exitCode(), redeploy.toString());
    for (String host : HOSTS) {
      assertServesWithTheFirstConfiguration(host, "version 2");
    }

    Result again = Testbed.deployer("shell", "-i", inventory, "-c", "deploy " + service + " 2");
    assertEquals(0, again.exitCode(), again.toString());
    for (String host : HOSTS) {
      assertTrue(again.out().contains(host + " : ok=1 changed=0 failed=0"), again.out());
    }
  }

  @Test
  void aRollingDeployStopsAtTheFirstFailingBatch() throws IOException {
    Apps.build(testbed, work.resolve("a"), "web", Map.of(service + ":1", Apps.GOOD));
    Apps.build(testbed, work.resolve("b"), "h1,h3", Map.of(service + ":2", Apps.GOOD));
    // On h2 version 2 never gets healthy.
    Apps.build(testbed, work.resolve("c"), "h2", Map.of(service + ":2", Apps.UNHEALTHY));
    assertEquals(0, deploy("web", "1").exitCode());

    Path book = work.resolve("rolling.yml");
    Files.writeString(book, """
        - hosts: web
          serial: 1
          tasks:
            - swap_container: {name: %1$s, image: "%1$s:2", ports: ["%2$d:8080"], stop_timeout: 1}
        """.formatted(service, port));
    Result run = Testbed.deployer("play", book.toString(), "-i", testbed.inventory().toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("version 2", serving("h1"));
    assertEquals("version 1", serving("h2"));
    assertEquals("version 1", serving("h3"));
    assertTrue(run.out().contains("Rollout stopped after batch 2 of 3"), run.out());
    assertTrue(run.out().contains("Not reached, left on their previous version: h3."), run.out());
    assertTrue(run.out().contains("skipping: [h3] not reached"), run.out());
  }

  @Test
  void aVersionThatNeverGetsHealthyLeavesTheOldOneServing() throws IOException {
    Apps.build(testbed, work, "web", Map.of(service + ":1", Apps.GOOD, service + ":2", Apps.UNHEALTHY));
    assertEquals(0, deploy("web", "1").exitCode());

    Result bad = deploy("web", "2");
    assertEquals(2, bad.exitCode(), bad.toString());
    for (String host : HOSTS) {
      assertTrue(bad.out().contains("failed: [" + host + "] the new container is not healthy: Docker marked it unhealthy"),
          bad.out());
      assertEquals("version 1", serving(host));
      // No leftovers: the failed container is gone, the old one is back under its own name.
      assertEquals(List.of(service + " " + service + ":1 running"), containers(host));
    }
    assertTrue(bad.out().contains("restored " + service + ":1 (healthy)"), bad.out());
  }

  @Test
  void aFailingDockerCreateShowsDockersOwnMessage() throws IOException {
    Apps.build(testbed, work, "h3", Map.of(service + ":1", Apps.GOOD));
    assertEquals(0, deploy("h3", "1").exitCode());
    Path book = work.resolve("no-network.yml");
    Files.writeString(book, """
        - hosts: h3
          tasks:
            - swap_container: {name: %s, image: "%1$s:1", ports: ["%d:8080"], volumes: ["/x:/y:rw:bad"], stop_timeout: 1}
        """.formatted(service, port));
    Result run = Testbed.deployer("play", book.toString(), "-i", testbed.inventory().toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.out().contains("creating the new container failed: Error response from daemon: invalid volume"
        + " specification: '/x:/y:rw:bad'"), run.out());
    assertTrue(run.out().contains("restored " + service + ":1 (healthy)"), run.out());
    assertTrue(!run.out().contains("See 'docker"), run.out());
    assertEquals("version 1", serving("h3"));
  }

  @Test
  void aVersionThatCannotStartLeavesTheOldOneServing() throws IOException {
    Apps.build(testbed, work, "h1", Map.of(service + ":1", Apps.GOOD, service + ":2", Apps.GOOD));
    assertEquals(0, deploy("h1", "1").exitCode());
    // Version 2 wants a second port, which another container holds.
    testbed.docker("h1", "run", "-d", "--name", service + "-squatter", "-p", (port + 1) + ":8080", service + ":1");
    Path book = work.resolve("two-ports.yml");
    Files.writeString(book, """
        - hosts: h1
          tasks:
            - swap_container:
                name: %s
                image: "%1$s:2"
                ports: ["%2$d:8080", "%3$d:8081"]
                stop_timeout: 1
        """.formatted(service, port, port + 1));
    Result run = Testbed.deployer("play", book.toString(), "-i", testbed.inventory().toString());
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.out().contains("the new container cannot start"), run.out());
    assertTrue(run.out().contains("restored " + service + ":1 (healthy)"), run.out());
    assertEquals("version 1", serving("h1"));
    assertEquals(2, containers("h1").size(), containers("h1").toString());
    assertTrue(containers("h1").contains(service + " " + service + ":1 running"), containers("h1").toString());
  }

  @Test
  void twoRunsNeverSwapTheSameServiceAtOnce() throws Exception {
    Apps.build(testbed, work, "h2", Map.of(service + ":1", Apps.GOOD, service + ":2", Apps.SLOW, service + ":3", Apps.GOOD));
    assertEquals(0, deploy("h2", "1").exitCode());

    // Version 2 takes five seconds to get healthy; a run started meanwhile waits for the lock.
    CompletableFuture<Result> slow = CompletableFuture.supplyAsync(() -> {
      try {
        return deploy("h2", "2");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Testbed.waitUntil("the first run holds the deploy lock", Duration.ofSeconds(60),
        () -> testbed.status("h2", "test", "-d", "/var/lib/deployer/locks/" + service) == 0);
    // --break-lock never takes a live run's lock: refused, and the live run goes on.
    Result breaker = deploy("h2", "3", "--break-lock", "--lock-wait", "1");
    assertEquals(2, breaker.exitCode(), breaker.toString());
    assertTrue(breaker.out().contains("--break-lock takes over only a lock whose heartbeat has stopped"), breaker.out());
    Result second = deploy("h2", "3");
    Result first = slow.get();
    assertEquals(0, first.exitCode(), first.toString());
    assertEquals(0, second.exitCode(), second.toString());
    // The second swapped after the first: it replaced version 2, not version 1.
    assertTrue(second.out().contains("(was " + service + ":2)"), second.out());
    assertEquals("version 3", serving("h2"));
    assertEquals(List.of(service + " " + service + ":3 running"), containers("h2"));
  }

  @Test
  void aSwapCutOffBeforeTheNewContainerStartedIsPutRightByAPlainRun() throws IOException {
    Apps.build(testbed, work, "h1", Map.of(service + ":1", Apps.GOOD, service + ":2", Apps.GOOD));
    assertEquals(0, deploy("h1", "1").exitCode());
    // Where a killed run leaves a swap: the old container aside and stopped, the new one created
    // but never started, and a lock whose heartbeat stopped.
    String lock = "/var/lib/deployer/locks/" + service;
    testbed.docker("h1", "rename", service, service + "_old_zzz");
    testbed.docker("h1", "stop", "--time", "1", service + "_old_zzz");
    testbed.docker("h1", "create", "--name", service, service + ":2");
    testbed.exec("h1", "sh", "-c", "mkdir -p " + lock + " && printf 'run_id=killed\\n' > " + lock + "/info"
        + " && touch -d '1 minute ago' " + lock + "/heartbeat " + lock);

    Result healed = deploy("h1", "2");
    assertEquals(0, healed.exitCode(), healed.toString());
    assertTrue(healed.out().contains("took over the deploy lock of run killed"), healed.out());
    assertTrue(healed.out().contains("recovered " + service + ":1 from an interrupted swap (healthy)"), healed.out());
    assertTrue(healed.out().contains("deployed " + service + ":2 (was " + service + ":1)"), healed.out());
    assertEquals("version 2", serving("h1"));
    assertEquals(List.of(service + " " + service + ":2 running"), containers("h1"));
    assertEquals(1, testbed.status("h1", "test", "-e", lock));

    Result again = deploy("h1", "2");
    assertTrue(again.out().contains("changed=0"), again.out());
  }

  @Test
  void anUnhealthyLiveContainerIsNotUpToDate() throws IOException {
    Apps.build(testbed, work, "h2", Map.of(service + ":1", Apps.KILLABLE));
    assertEquals(0, deploy("h2", "1").exitCode());
    testbed.docker("h2", "exec", service, "killall", "httpd");
    Testbed.waitUntil(service + " is marked unhealthy", Duration.ofSeconds(20),
        () -> testbed.docker("h2", "inspect", "--format", "{{.State.Health.Status}}", service).equals("unhealthy"));

    Result again = deploy("h2", "1");
    assertEquals(0, again.exitCode(), again.toString());
    assertTrue(again.out().contains("deployed " + service + ":1 (was " + service + ":1)"), again.out());
    assertEquals("version 1", serving("h2"));
    assertEquals(List.of(service + " " + service + ":1 running"), containers("h2"));
  }

  @Test
  void aLockWhoseHolderIsGoneIsTakenOverByAPlainRun() throws IOException {
    Apps.build(testbed, work, "h3", Map.of(service + ":1", Apps.GOOD));
    // What a run on another machine leaves when it dies: details, and a heartbeat that stopped a minute ago.
    String lock = "/var/lib/deployer/locks/" + service;
    testbed.exec("h3", "sh", "-c", "mkdir -p " + lock + " && printf 'run_id=gone\\nholder=ci@old-runner\\ncontroller=old-runner\\n'"
        + " > " + lock + "/info && touch -d '1 minute ago' " + lock + "/heartbeat " + lock);
    Result run = deploy("h3", "1");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("took over the deploy lock of run gone of ci@old-runner"), run.out());
    assertEquals("version 1", serving("h3"));
    assertEquals(1, testbed.status("h3", "test", "-e", lock));
  }

  @Test
  void aLiveHoldersLockIsWaitedForAndNeverBroken() throws IOException {
    Apps.build(testbed, work, "h3", Map.of(service + ":1", Apps.GOOD));
    // A holder on another machine whose heartbeat keeps moving.
    String lock = "/var/lib/deployer/locks/" + service;
    testbed.exec("h3", "sh", "-c", "mkdir -p " + lock + " && printf 'run_id=live\\nholder=ci@other\\ncontroller=other\\n' > "
        + lock + "/info && { (for i in $(seq 60); do touch " + lock + "/heartbeat; sleep 1; done) >/dev/null 2>&1 &"
        + " echo $! > /tmp/" + service + "-holder.pid; }");
    try {
      for (String[] options : List.of(new String[] {"--lock-wait", "2"}, new String[] {"--lock-wait", "2", "--break-lock"})) {
        Result held = deploy("h3", "1", options);
        assertEquals(2, held.exitCode(), held.toString());
        assertTrue(held.out().contains("deploy lock for " + service + " is held by run live of ci@other"), held.out());
        assertTrue(held.out().contains("waited 2s (--lock-wait)"), held.out());
      }
      assertTrue(containers("h3").isEmpty());
    } finally {
      testbed.exec("h3", "sh", "-c", "kill $(cat /tmp/" + service + "-holder.pid); rm -rf " + lock);
    }
  }

  @Test
  void checkModeShowsTheFieldsThatWouldChange() throws IOException {
    Apps.build(testbed, work, "h1", Map.of(service + ":1", Apps.GOOD, service + ":2", Apps.GOOD));
    assertEquals(0, deploy("h1", "1").exitCode());
    String before = containers("h1").toString();
    Result check = deploy("h1", "2", "--check");
    assertEquals(0, check.exitCode(), check.toString());
    assertTrue(check.out().contains("would replace " + service + " (" + service + ":1"), check.out());
    assertTrue(check.out().contains("image: " + service + ":1 ("), check.out());
    assertEquals(before, containers("h1").toString());
    assertEquals("version 1", serving("h1"));
  }
}
