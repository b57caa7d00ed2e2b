package dev.deployer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Apps;
import dev.deployer.testbed.Testbed;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deployer's own image, the gopdater way: built from the repository's Dockerfile on a testbed host,
 * run there with the host's Docker socket and a local-connection inventory, it takes a Docker Hub
 * hook and recreates a container of that host at the new tag with its configuration kept.
 */
class OwnImageIT {
  private static final String HOST = "h3";
  private static final int APP_PORT = 18191;
  private static final int SERVER_PORT = 18192;
  private static final String TOKEN = "own-image-it-" + UUID.randomUUID();
  private final Testbed testbed = new Testbed();
  private final String id = "oi" + UUID.randomUUID().toString().substring(0, 6);
  private final String repo = testbed.registry() + "/it/" + id;
  private final String etc = "/srv/" + id;

  @TempDir Path work;

  @AfterEach
  void removeAll() {
    testbed.removeContainers(id, HOST);
    testbed.status(HOST, "docker", "image", "rm", "deployer:" + id);
    testbed.status(HOST, "rm", "-rf", etc);
  }

  @Test
  void deployerServeInItsImageUpdatesTheHostWhoseSocketItHas() throws Exception {
    testbed.jre(HOST);
    // The CLI runs here, where the checkout is (a host's /tmp is its own), and sends it to h3's daemon.
    // It is the testbed's (Debian's 20.10, whose BuildKit needs no buildx), not another docker on PATH.
    String dockerHost = testbed.exec(HOST, "sh", "-c", "echo $DOCKER_HOST").strip();
    Testbed.Result built = Testbed.process(Map.of("DOCKER_HOST", dockerHost, "DOCKER_BUILDKIT", "1"), List.of("/usr/bin/docker", "build",
        "--build-arg", "BASE=testbed/jre:17", "--build-arg", "DOCKER_CLI=testbed/jre:17", "--build-arg", "JAR_STAGE=prebuilt",
        "-t", "deployer:" + id, testbed.projectDir().toString()));
    assertEquals(0, built.exitCode(), built.out());

    Apps.build(testbed, work.resolve("images"), "h1", Map.of(id + ":v1", Apps.GOOD, id + ":v2", Apps.GOOD));
    for (String tag : List.of("v1", "v2")) {
      testbed.docker("h1", "tag", id + ":" + tag, repo + ":" + tag);
      testbed.docker("h1", "push", repo + ":" + tag);
    }
    testbed.docker(HOST, "run", "-d", "--name", id, "-p", APP_PORT + ":8080", "-e", "KEPT=yes", repo + ":v1");

    testbed.exec(HOST, "mkdir", "-p", etc);
    Files.writeString(testbed.hostFile(HOST, etc + "/hosts.yml"), "all:\n  hosts:\n    here: {ansible_connection: local}\n");
    Files.writeString(testbed.hostFile(HOST, etc + "/server.yml"), """
        listen: 0.0.0.0:9955
        api_root: /deploy
        inventory: hosts.yml
        data_dir: /tmp/deployer
        projects:
          everything:
            redeploy: running
            hosts: here
            repositories: ["%s"]
            tags: ["v*"]
            hook_token: "%s"
        """.formatted(repo, TOKEN));
    // The path h3's dockerd listens on, as h3 itself (and so its dockerd's bind mounts) sees it.
    String socket = dockerHost.replaceFirst("^unix://", "");
    testbed.docker(HOST, "run", "-d", "--name", id + "-deployer", "-v", socket + ":/var/run/docker.sock",
        "-v", etc + ":/etc/deployer", "-p", SERVER_PORT + ":9955", "deployer:" + id);

    String base = "http://" + testbed.address(HOST) + ":" + SERVER_PORT + "/deploy";
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    int[] status = {0};
    Testbed.waitUntil("deployer serve answers in its container", Duration.ofSeconds(60), () -> {
      try {
        status[0] = http.send(HttpRequest.newBuilder(URI.create(base + "/")).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode();
        return status[0] == 200;
      } catch (Exception e) {
        return false;
      }
    });
    String body = "{\"push_data\": {\"tag\": \"v2\"}, \"repository\": {\"repo_name\": \"" + repo + "\"}}";
    HttpResponse<String> queued = http.send(HttpRequest.newBuilder(URI.create(base + "/hooks/dockerhub/" + TOKEN))
        .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(202, queued.statusCode(), queued.body());

    Testbed.waitUntil(id + " serves v2 (deployer's log: docker logs " + id + "-deployer)", Duration.ofSeconds(120),
        () -> Apps.get(testbed.address(HOST), APP_PORT).equals("version v2"));
    assertEquals(repo + ":v2", testbed.docker(HOST, "inspect", "-f", "{{.Config.Image}}", id));
    assertTrue(testbed.docker(HOST, "inspect", "-f", "{{json .Config.Env}}", id).contains("KEPT=yes"));
  }
}
