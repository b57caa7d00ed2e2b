package dev.deployer.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.deployer.testbed.Apps;
import dev.deployer.testbed.Testbed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Deploy seed's habits: one push updates staging and production (each project its own queue),
 * staging waits out its delay so a burst of pushes becomes one deploy, and each project's notify
 * URL hears how its deployments ended (WireMock stands in for that outside peer).
 */
class ServerFanOutIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int APP_PORT = 18161;
  private static final String TOKEN = "fanout-it-token-" + UUID.randomUUID();
  private static final String CI = ServerProcess.basic("ci", "ci-password-123");
  private final Testbed testbed = new Testbed();
  private final String id = "fo" + UUID.randomUUID().toString().substring(0, 6);
  private final String repo = testbed.registry() + "/it/" + id;
  private ServerProcess server;
  private WireMockServer peer;

  @TempDir Path work;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.kill();
    }
    if (peer != null) {
      peer.stop();
    }
    testbed.removeContainers(id, "h1", "h2");
  }

  @Test
  void onePushReachesBothProjectsAndABurstIsOneDeployOnStaging() throws Exception {
    Apps.build(testbed, work.resolve("images"), "h1", Map.of(id + ":v1", Apps.GOOD, id + ":v2", Apps.GOOD, id + ":v3", Apps.GOOD));
    for (String tag : List.of("v1", "v2", "v3")) {
      testbed.docker("h1", "tag", id + ":" + tag, repo + ":" + tag);
      testbed.docker("h1", "push", repo + ":" + tag);
    }
    peer = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    peer.start();
    peer.stubFor(post(urlPathMatching("/notify/.*")).willReturn(aResponse().withStatus(200)));
    Files.writeString(work.resolve("hook.yml"), """
        - hosts: all
          tasks:
            - docker_image: {action: pull, image: "{{image}}"}
            - swap_container: {name: %s, image: "{{image}}", ports: ["%d:8080"], stop_timeout: 1}
        """.formatted(id, APP_PORT));
    Path jar = testbed.projectDir().resolve("target/deployer.jar");
    ServerProcess.passwd(jar, work.resolve("users.txt"), "ci", "USER", "ci-password-123");
    server = new ServerProcess(jar, work, Map.of());
    Files.writeString(work.resolve("server.yml"), """
        listen: 127.0.0.1:%1$d
        api_root: /deploy
        inventory: %2$s
        data_dir: data
        users: users.txt
        callback_hosts: ["127.0.0.1:%3$d"]
        projects:
          staging:
            playbook: hook.yml
            hosts: h1
            repositories: ["%4$s"]
            tags: ["v*"]
            hook_token: "%5$s"
            delay: 3s
            notify: ["http://127.0.0.1:%3$d/notify/staging"]
          production:
            playbook: hook.yml
            hosts: h2
            repositories: ["%4$s"]
            tags: ["v*"]
            hook_token: "%5$s"
            notify: ["http://127.0.0.1:%3$d/notify/production"]
        """.formatted(server.port, testbed.inventory(), peer.port(), repo, TOKEN));
    server.start();

    List<String> staging = new ArrayList<>();
    List<String> production = new ArrayList<>();
    for (String tag : List.of("v1", "v2", "v3")) {
      String body = "{\"push_data\": {\"tag\": \"" + tag + "\"}, \"repository\": {\"repo_name\": \"" + repo + "\"}}";
      var answer = server.post("/hooks/dockerhub/" + TOKEN, body, Map.of("Content-Type", "application/json"));
      assertEquals(202, answer.statusCode(), answer.body());
      for (JsonNode d : JSON.readTree(answer.body()).get("deployments")) {
        (d.get("project").asText().equals("staging") ? staging : production).add(d.get("deployment").asText());
      }
    }
    assertEquals(3, staging.size());
    assertEquals(3, production.size());
    JsonNode waiting = status("staging", staging.get(2));
    assertEquals("await", waiting.get("state").asText(), waiting.toString());
    assertTrue(waiting.has("not_before"), waiting.toString());

    JsonNode last = until("staging", staging.get(2));
    assertEquals("ok", last.get("state").asText(), last.toString());
    assertEquals("changed", status("staging", staging.get(0)).get("state").asText(), "superseded during the delay");
    assertEquals("changed", status("staging", staging.get(1)).get("state").asText(), "superseded during the delay");
    assertEquals("ok", until("production", production.get(2)).get("state").asText());
    for (String host : List.of("h1", "h2")) {
      assertEquals("version v3", Apps.get(testbed.address(host), APP_PORT), host);
    }

    Testbed.waitUntil("staging's notify URL hears of its one deploy", Duration.ofSeconds(30),
        () -> !peer.findAll(postRequestedFor(urlEqualTo("/notify/staging"))).isEmpty());
    var notices = peer.findAll(postRequestedFor(urlEqualTo("/notify/staging")));
    assertEquals(1, notices.size(), "superseded deployments are not reported");
    JsonNode notice = JSON.readTree(notices.get(0).getBodyAsString());
    assertEquals("ok", notice.get("state").asText());
    assertEquals("v3", notice.get("tag").asText());
    assertEquals(staging.get(2), notice.get("deployment").asText());
    Testbed.waitUntil("production's notify URL hears of v3", Duration.ofSeconds(30),
        () -> peer.findAll(postRequestedFor(urlEqualTo("/notify/production"))).stream()
            .anyMatch(r -> r.getBodyAsString().contains("\"tag\":\"v3\"")));
  }

  private JsonNode status(String project, String deployment) throws Exception {
    return JSON.readTree(server.get("/status/" + project + "/" + deployment, CI).body());
  }

  private JsonNode until(String project, String deployment) {
    return server.awaitEnd(project, deployment, CI);
  }
}
