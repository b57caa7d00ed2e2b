package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Apps;
import dev.deployer.testbed.Poller;
import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Swaps behind the host's proxy, watched from the controller as users would watch them: a poller
 * at 40 requests a second on new connections, slow requests beside it, and a deployer killed at
 * points of a swap.
 */
class ProxySwapIT {
  private static final String HOST = "h2";
  private static final Testbed testbed = new Testbed();

  /** busybox httpd with a page and a CGI that answers after three seconds. */
  private static final String WITH_SLOW_PAGE = """
      ARG BASE
      FROM ${BASE}
      ARG VERSION
      RUN mkdir -p /www/cgi-bin && echo "version ${VERSION}" > /www/index.html \\
        && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\nsleep 3\\necho slow version %s\\n' "${VERSION}" > /www/cgi-bin/slow \\
        && chmod +x /www/cgi-bin/slow
      HEALTHCHECK --interval=1s --timeout=1s --retries=3 CMD wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1
      CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
      """;

  @TempDir Path work;
  private final String service = "px" + UUID.randomUUID().toString().substring(0, 6);
  private final int port = 20000 + Math.floorMod(service.hashCode(), 10000);
  private final String address = testbed.address(HOST);

  @AfterEach
  void removeContainers() {
    testbed.removeContainers(service, HOST);
  }

  /** Routes of removed services would keep their ports: the proxy goes with the tests. */
  @AfterAll
  static void removeProxy() {
    testbed.removeContainers(EnsureProxyTask.CONTAINER, HOST);
    testbed.docker(HOST, "volume", "rm", "-f", "deployer-proxy-config", "deployer-proxy-data");
  }

  private Path playbook(String name, String proxy) throws IOException {
    Path book = work.resolve("deploy-" + name + "-" + UUID.randomUUID() + ".yml");
    Files.writeString(book, """
        - hosts: %s
          tasks:
            - ensure_proxy: {image: "{{proxy_image}}"}
            - name: Swap
              swap_container:
                name: %s
                image: "%s:{{tag}}"
                stop_timeout: 1
                proxy: %s
        """.formatted(HOST, name, service, proxy));
    return book;
  }

  private Result run(Path book, String tag, String... extra) {
    List<String> args = new ArrayList<>(List.of("play", book.toString(), "-i", testbed.inventory().toString(), "-e", "tag=" + tag));
    args.addAll(List.of(extra));
    return Testbed.deployer(args.toArray(String[]::new));
  }

  private String plainRoute() {
    return "{port: " + port + ", app_port: 8080, drain_timeout: 10s}";
  }

  @Test
  void nobodyNoticesAHealthyVersionAndNobodyEverSeesABrokenOne() throws Exception {
    Apps.build(testbed, work, HOST, Map.of(service + ":v1", WITH_SLOW_PAGE, service + ":v2", Apps.GOOD,
        service + ":v3", Apps.UNHEALTHY));
    Path book = playbook(service, plainRoute());
    Result first = run(book, "v1");
    assertEquals(0, first.exitCode(), first.toString());
    assertEquals("version v1", Poller.request(address, port, null, "/").body());
    assertEquals("", testbed.docker(HOST, "inspect", "--format", "{{range $p, $b := .HostConfig.PortBindings}}{{$p}}{{end}}", service).strip(),
        "a proxied service publishes no port");

    Result check = run(book, "v2", "--check");
    assertEquals(0, check.exitCode(), check.toString());
    assertTrue(check.out().contains("route :" + port + ": " + service + ":v1 -> " + service + ":v2 (once healthy)"), check.out());
    assertEquals("version v1", Poller.request(address, port, null, "/").body(), "--check changed nothing");

    Result v2;
    Result v3;
    Result rollback;
    Result forward;
    try (Poller poller = new Poller(address, port, null, 40)) {
      Thread slowRequests = new Thread(() -> {
        while (poller.firstAnswerWith("version v2") < 0 && !Thread.currentThread().isInterrupted()) {
          poller.startSlow("/cgi-bin/slow");
          try {
            Thread.sleep(500);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      slowRequests.start();
      v2 = run(book, "v2");
      slowRequests.interrupt();
      v3 = run(book, "v3");
      // A rollback is a proxied swap too: back to v1, unnoticed, then forward to v2 again.
      rollback = Testbed.deployer("rollback", service, "-i", testbed.inventory().toString(), "--hosts", HOST);
      Testbed.waitUntil("v1 answers after the rollback", Duration.ofSeconds(5), () -> poller.last().equals("version v1"));
      forward = run(book, "v2");
      Testbed.waitUntil("the last slow requests end", Duration.ofSeconds(10), () -> poller.slowAnswers().size() >= 2);
      Thread.sleep(4000); // the slow requests started last need their three seconds
      poller.close();

      assertEquals(0, v2.exitCode(), v2.toString());
      assertTrue(v2.out().contains("deployed " + service + ":v2 (was " + service + ":v1)"), v2.out());
      assertEquals(2, v3.exitCode(), v3.toString());
      assertTrue(v3.out().contains("never received a request and " + service + ":v2 kept serving"), v3.out());
      assertEquals(0, rollback.exitCode(), rollback.toString());
      assertEquals(0, forward.exitCode(), forward.toString());

      List<Poller.Answer> answers = poller.answers();
      double seconds = (answers.get(answers.size() - 1).startMs() - answers.get(0).startMs()) / 1000.0;
      assertTrue(answers.size() / seconds >= 25, answers.size() + " requests in " + seconds + " s");
      assertEquals(List.of(), poller.failures(), "failed requests");
      assertTrue(answers.stream().noneMatch(a -> a.body().contains("version v3")), "v3 answered");
      assertEquals("version v2", poller.last());
      long switchedAt = poller.firstAnswerWith("version v2");
      assertTrue(answers.stream().filter(a -> a.startMs() > switchedAt).anyMatch(a -> a.body().equals("version v1")),
          "the rollback never served v1");
      assertTrue(switchedAt > 0);
      List<Poller.Answer> acrossTheSwitch = poller.slowAnswers().stream()
          .filter(a -> a.startMs() < switchedAt && a.endMs() > switchedAt).toList();
      assertFalse(acrossTheSwitch.isEmpty(), "no slow request ran across the switch at " + switchedAt + ": " + poller.slowAnswers());
      for (Poller.Answer slow : poller.slowAnswers()) {
        assertEquals(200, slow.status(), slow.toString());
        assertEquals("slow version v1", slow.body());
      }
    }
    assertTrue(run(book, "v2").out().contains(HOST + " : ok=2 changed=0"));
  }

  @Test
  void servicesShareAPortByHostNameAndTlsUsesTheProxysOwnAuthority() throws Exception {
    Apps.build(testbed, work, HOST, Map.of(service + ":alpha", Apps.GOOD, service + ":beta", Apps.GOOD));
    String alpha = service + "a";
    String beta = service + "b";
    Result a = run(playbook(alpha, "{port: " + port + ", app_port: 8080, host: alpha.test}"), "alpha");
    assertEquals(0, a.exitCode(), a.toString());
    Result b = run(playbook(beta, "{port: " + port + ", app_port: 8080, host: beta.test}"), "beta");
    assertEquals(0, b.exitCode(), b.toString());
    assertEquals("version alpha", Poller.request(address, port, "alpha.test", "/").body());
    assertEquals("version beta", Poller.request(address, port, "beta.test", "/").body());
    assertEquals(404, Poller.request(address, port, "other.test", "/").status());

    Result taken = run(playbook(service + "c", "{port: " + port + ", app_port: 8080, host: beta.test}"), "alpha");
    assertEquals(2, taken.exitCode(), taken.toString());
    assertTrue(taken.out().contains("port " + port + " for beta.test is already the route of " + beta), taken.out());
    assertEquals("version beta", Poller.request(address, port, "beta.test", "/").body());

    int tlsPort = port + 1;
    Result tls = run(playbook(service + "t", "{port: " + tlsPort + ", app_port: 8080, host: gamma.test, tls: internal}"), "alpha");
    assertEquals(0, tls.exitCode(), tls.toString());
    BooleanSupplier servesTls = () -> {
      Result curl = Testbed.process(Map.of(), List.of("curl", "-sk", "--max-time", "5", "--resolve",
          "gamma.test:" + tlsPort + ":" + address, "https://gamma.test:" + tlsPort + "/"));
      return curl.out().contains("version alpha");
    };
    Testbed.waitUntil("gamma.test answers over TLS", Duration.ofSeconds(20), servesTls);
    Result issuer = Testbed.process(Map.of(), List.of("sh", "-c", "curl -skv --max-time 5 --resolve gamma.test:" + tlsPort + ":"
        + address + " https://gamma.test:" + tlsPort + "/ 2>&1 | grep -i issuer"));
    assertTrue(issuer.out().contains("Caddy Local Authority"), issuer.out());
  }

  @Test
  void aServiceThatPublishedThePortItselfIsSwitchedOverOnceAndCanLeaveAgain() throws Exception {
    Apps.build(testbed, work, HOST, Map.of(service + ":v1", Apps.GOOD, service + ":v2", Apps.GOOD));
    Path plain = work.resolve("plain.yml");
    Files.writeString(plain, """
        - hosts: %s
          tasks:
            - swap_container: {name: %s, image: "%s:v1", ports: ["%d:8080"], stop_timeout: 1}
        """.formatted(HOST, service, service, port));
    Result before = Testbed.deployer("play", plain.toString(), "-i", testbed.inventory().toString());
    assertEquals(0, before.exitCode(), before.toString());
    assertEquals("version v1", Poller.request(address, port, null, "/").body());

    Path book = playbook(service, plainRoute());
    Result switched = run(book, "v2");
    assertEquals(0, switched.exitCode(), switched.toString());
    assertTrue(switched.out().contains("the old container published port " + port + " itself and was stopped first"), switched.out());
    assertEquals("version v2", Poller.request(address, port, null, "/").body());
    assertEquals("", testbed.docker(HOST, "inspect", "--format", "{{range $p, $b := .HostConfig.PortBindings}}{{$p}}{{end}}", service).strip());
    assertTrue(run(book, "v2").out().contains(HOST + " : ok=2 changed=0"));

    // And back: a plain swap takes the route off the proxy, which frees the port for the container.
    Result back = Testbed.deployer("play", plain.toString(), "-i", testbed.inventory().toString());
    assertEquals(0, back.exitCode(), back.toString());
    assertEquals("version v1", Poller.request(address, port, null, "/").body());
    assertEquals("8080/tcp", testbed.docker(HOST, "inspect", "--format", "{{range $p, $b := .HostConfig.PortBindings}}{{$p}}{{end}}", service).strip());
  }

  @Test
  void killedAtAnyPointTheServiceKeepsAnsweringAndTheNextRunConverges() throws Exception {
    Apps.build(testbed, work, HOST, Map.of(service + ":v1", WITH_SLOW_PAGE, service + ":v2", WITH_SLOW_PAGE));
    Path book = playbook(service, plainRoute());
    assertEquals(0, run(book, "v1").exitCode());
    /** Where to kill: when a condition holds, or a time after the deployer started; and what the next run says of it. */
    record KillPoint(String name, BooleanSupplier reached, long afterMs, String rerunSays) {}
    try (Poller poller = new Poller(address, port, null, 40)) {
      List<KillPoint> points = List.of(
          new KillPoint("the new container exists",
              () -> !testbed.docker(HOST, "ps", "-aq", "--filter", "name=^" + service + "_next_").isBlank(), 0,
              "removed 1 new container(s) left by a swap cut off before its switch"),
          new KillPoint("the route is switched, old requests draining", null, 0, "finished a swap cut off after its switch"),
          new KillPoint("at 1.0 s", null, 1000, ""),
          new KillPoint("at 2.0 s", null, 2000, ""),
          new KillPoint("at 3.0 s", null, 3000, ""),
          new KillPoint("at 4.0 s", null, 4000, ""));
      String tag = "v1";
      for (KillPoint point : points) {
        tag = tag.equals("v1") ? "v2" : "v1";
        String wanted = "version " + tag;
        BooleanSupplier reached = point.reached();
        if (point.name().startsWith("the route is switched")) {
          poller.startSlow("/cgi-bin/slow"); // holds the drain open
          reached = () -> poller.last().equals(wanted);
        }
        Process deployer = start(book, tag);
        if (reached == null) {
          reached = after(point.afterMs());
        }
        Testbed.waitUntil(point.name(), Duration.ofSeconds(60), reached);
        deployer.destroyForcibly().waitFor();
        String answering = Poller.request(address, port, null, "/").body();
        assertTrue(answering.startsWith("version v"), "killed when " + point.name() + ": " + answering);

        Result rerun = run(book, tag);
        assertEquals(0, rerun.exitCode(), "after a kill when " + point.name() + ": " + rerun);
        assertTrue(rerun.out().contains(point.rerunSays()), "after a kill when " + point.name() + ": " + rerun.out());
        Result after = run(book, tag);
        assertTrue(after.out().contains(HOST + " : ok=2 changed=0"), "after a kill when " + point.name() + ": " + after.out());
        assertEquals(wanted, Poller.request(address, port, null, "/").body());
        assertEquals("", testbed.docker(HOST, "ps", "-aq", "--filter", "name=^" + service + "_").strip(), "leftovers");
      }
      poller.close();
      assertEquals(List.of(), poller.failures(), "failed requests across the killed swaps and their re-runs");
    }
  }

  private static BooleanSupplier after(long millis) {
    long at = System.nanoTime() + millis * 1_000_000;
    return () -> System.nanoTime() >= at;
  }

  private Process start(Path book, String tag) throws IOException {
    return new ProcessBuilder("java", "-jar", testbed.projectDir().resolve("target/deployer.jar").toString(),
        "play", book.toString(), "-i", testbed.inventory().toString(), "-e", "tag=" + tag)
        .redirectErrorStream(true).redirectOutput(work.resolve("killed-" + tag + "-" + UUID.randomUUID() + ".log").toFile())
        .start();
  }
}
