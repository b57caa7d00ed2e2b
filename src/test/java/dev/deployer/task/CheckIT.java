package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check task against a real daemon and real one-shot jobs: what passes, and what it says when not. */
class CheckIT {
  private static final String HOST = "h3";
  private static final int PORT = 18121;
  private final Testbed testbed = new Testbed();
  private final String id = UUID.randomUUID().toString().substring(0, 6);
  private final String web = "chk-web-" + id;
  private final String net = "chk-net-" + id;

  @TempDir Path work;

  @AfterEach
  void removeAll() {
    testbed.removeContainers("chk-", HOST);
    testbed.status(HOST, "docker", "network", "rm", net);
  }

  private Result play(String tasks, String... options) throws Exception {
    return testbed.play(work, HOST, tasks, options);
  }

  @Test
  void aDaemonAnswersFromTheHostFromItselfAndFromItsNetworkAndAWrongAnswerIsShown() throws Exception {
    Result started = play("""
        - command: docker network inspect %2$s >/dev/null 2>&1 || docker network create %2$s
        - container:
            name: %1$s
            image: "{{base_image}}"
            network: %2$s
            ports: ["%3$d:8080"]
            command: [sh, -c, "mkdir -p /www && echo daemon-ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
            stop_timeout: 0
        """.formatted(web, net, PORT));
    assertEquals(0, started.exitCode(), started.toString());

    Result good = play("""
        - check: {http: {url: "http://127.0.0.1:%3$d/", match: daemon-ok}, retries: 10, delay: 1}
        - check: {http: {url: "http://127.0.0.1:8080/", match: daemon-ok}, from: %1$s}
        - check:
            http: {url: "http://{{container_ip.%1$s}}:8080/", match: daemon-ok}
            from_network: %2$s
            helper_image: "{{base_image}}"
        """.formatted(web, net, PORT));
    assertEquals(0, good.exitCode(), good.toString());
    String address = testbed.docker(HOST, "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", web);
    assertTrue(good.out().contains("GET http://" + address + ":8080/ from network " + net), good.out());

    Result wrong = play("- check: {http: {url: \"http://127.0.0.1:" + PORT + "/\", match: \"^welcome\"}}");
    assertEquals(2, wrong.exitCode(), wrong.toString());
    assertTrue(wrong.out().contains("answered 200 but the body does not match /^welcome/: \"daemon-ok\""), wrong.out());

    Result status = play("- check: {http: {url: \"http://127.0.0.1:" + PORT + "/missing\", status: 200}}");
    assertEquals(2, status.exitCode(), status.toString());
    assertTrue(status.out().contains("GET http://127.0.0.1:" + PORT + "/missing"), status.out());

    Result noSuch = play("- check: {http: {url: \"http://{{container_ip.chk-none-" + id + "}}/\"}}");
    assertEquals(2, noSuch.exitCode(), noSuch.toString());
    assertTrue(noSuch.out().contains("there is no container chk-none-" + id + " on h3"), noSuch.out());
  }

  @Test
  void aJobMustEndWithItsCodeAndLogAndCheckModeChecksNothing() throws Exception {
    Result ran = play("""
        - container: {name: chk-ok-%1$s, image: "{{base_image}}", command: [sh, -c, "echo backup Success"]}
        - container: {name: chk-bad-%1$s, image: "{{base_image}}", command: [sh, -c, "echo disk full >&2; exit 3"]}
        - container: {name: chk-long-%1$s, image: "{{base_image}}", command: [sleep, "3600"], stop_timeout: 0}
        """.formatted(id));
    assertEquals(0, ran.exitCode(), ran.toString());

    Result ok = play("- check: {job: {container: chk-ok-" + id + ", log_match: [Success]}}");
    assertEquals(0, ok.exitCode(), ok.toString());
    assertTrue(ok.out().contains("job chk-ok-" + id + " exited 0, log matched [/Success/]"), ok.out());

    Result bad = play("- check: {job: {container: chk-bad-" + id + "}}");
    assertEquals(2, bad.exitCode(), bad.toString());
    assertTrue(bad.out().contains("job chk-bad-" + id + " exited 3, expected 0; its last lines:"), bad.out());
    assertTrue(bad.out().contains("disk full"), bad.out());

    Result unmatched = play("- check: {job: {container: chk-ok-" + id + ", log_match: Failure}}");
    assertTrue(unmatched.out().contains("its log does not match /Failure/"), unmatched.out());

    Result still = play("- check: {job: {container: chk-long-" + id + ", timeout: 1}}");
    assertEquals(2, still.exitCode(), still.toString());
    assertTrue(still.out().contains("is still running after 1s"), still.out());

    Result checkMode = play("- check: {job: {container: chk-bad-" + id + "}}", "--check");
    assertEquals(0, checkMode.exitCode(), checkMode.toString());
    assertTrue(checkMode.out().contains("not checked under --check"), checkMode.out());
  }
}
