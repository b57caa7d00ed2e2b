package dev.deployer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.testbed.Apps;
import dev.deployer.testbed.Testbed;
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
 * gopdater's zero-configuration mode: a push of owner/app:tag recreates every running container of
 * that repository on the project's hosts at the new tag, keeping the configuration it was started
 * with by hand (plain docker run, not deployer), its volume's data included.
 */
class ZeroConfigRedeployIT {
  private static final String HOST = "h2";
  private static final int APP_PORT = 18171;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "zero-config-it-" + UUID.randomUUID();
  private final Testbed testbed = new Testbed();
  private final String id = "zc" + UUID.randomUUID().toString().substring(0, 6);
  private final String repo = testbed.registry() + "/it/" + id;
  private ServerProcess server;

  @TempDir Path work;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.kill();
    }
    testbed.removeContainers(id, HOST);
    testbed.status(HOST, "docker", "volume", "rm", id + "-data");
  }

  @Test
  void aPushRecreatesTheRunningContainerAtTheNewTagWithItsConfiguration() throws Exception {
    Apps.build(testbed, work.resolve("images"), "h1", Map.of(id + ":v1", Apps.GOOD, id + ":v2", Apps.GOOD));
    for (String tag : List.of("v1", "v2")) {
      testbed.docker("h1", "tag", id + ":" + tag, repo + ":" + tag);
      testbed.docker("h1", "push", repo + ":" + tag);
    }
    testbed.docker(HOST, "run", "-d", "--name", id, "-p", APP_PORT + ":8080", "-e", "GREETING=hi there",
        "-v", id + "-data:/data", "--restart", "unless-stopped", "--label", "team=web", "--memory", "64m", repo + ":v1");
    testbed.docker(HOST, "exec", id, "sh", "-c", "echo kept > /data/f");
    testbed.docker(HOST, "run", "-d", "--name", id + "-other", "testbed/base:1", "sleep", "3600");
    String other = testbed.docker(HOST, "inspect", "-f", "{{.Id}}", id + "-other");
    Testbed.waitUntil(id + " serves v1", Duration.ofSeconds(30), () -> Apps.get(testbed.address(HOST), APP_PORT).equals("version v1"));

    Path jar = testbed.projectDir().resolve("target/deployer.jar");
    ServerProcess.passwd(jar, work.resolve("users.txt"), "ci", "USER", "ci-password-123");
    server = new ServerProcess(jar, work, Map.of());
    Files.writeString(work.resolve("server.yml"), """
        listen: 127.0.0.1:%d
        api_root: /deploy
        inventory: %s
        data_dir: data
        users: users.txt
        projects:
          everything:
            redeploy: running
            hosts: %s
            repositories: ["%s/it/*"]
            tags: ["v*"]
            hook_token: "%s"
        """.formatted(server.port, testbed.inventory(), HOST, testbed.registry(), TOKEN));
    server.start();
    String body = "{\"push_data\": {\"tag\": \"v2\"}, \"repository\": {\"repo_name\": \"" + repo + "\"}}";
    var answer = server.post("/hooks/dockerhub/" + TOKEN, body, Map.of("Content-Type", "application/json"));
    assertEquals(202, answer.statusCode(), answer.body());
    String deployment = JSON.readTree(answer.body()).get("deployment").asText();
    JsonNode status = server.awaitEnd("everything", deployment, ServerProcess.basic("ci", "ci-password-123"));
    assertEquals("ok", status.get("state").asText(), status + "\n" + Files.readString(server.log()));

    assertEquals("version v2", Apps.get(testbed.address(HOST), APP_PORT), "the published port serves the new tag");
    assertEquals(repo + ":v2", testbed.docker(HOST, "inspect", "-f", "{{.Config.Image}}", id));
    assertTrue(testbed.docker(HOST, "inspect", "-f", "{{json .Config.Env}}", id).contains("GREETING=hi there"));
    assertEquals("kept", testbed.docker(HOST, "exec", id, "cat", "/data/f"), "the same volume, its data kept");
    assertEquals("web", testbed.docker(HOST, "inspect", "-f", "{{index .Config.Labels \"team\"}}", id));
    assertEquals("unless-stopped", testbed.docker(HOST, "inspect", "-f", "{{.HostConfig.RestartPolicy.Name}}", id));
    assertEquals("67108864", testbed.docker(HOST, "inspect", "-f", "{{.HostConfig.Memory}}", id));
    assertEquals(other, testbed.docker(HOST, "inspect", "-f", "{{.Id}}", id + "-other"), "another repository's container is left alone");
  }
}
