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
 * with by hand (plain docker run, not deployer), its volume's data included; a Compose project's
 * container is updated by Compose from its own files.
 */
class ZeroConfigRedeployIT {
  private static final String HOST = "h2";
  private static final int APP_PORT = 18171;
  private static final int COMPOSE_PORT = 18172;
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
    testbed.status(HOST, "docker", "network", "rm", id + "_default");
  }

  @Test
  void aPushRecreatesTheRunningContainerAtTheNewTagWithItsConfiguration() throws Exception {
    pushVersions();
    testbed.docker(HOST, "run", "-d", "--name", id, "-p", APP_PORT + ":8080", "-e", "GREETING=hi there",
        "-v", id + "-data:/data", "--restart", "unless-stopped", "--label", "team=web", "--memory", "64m", repo + ":v1");
    testbed.docker(HOST, "exec", id, "sh", "-c", "echo kept > /data/f");
    testbed.docker(HOST, "run", "-d", "--name", id + "-other", "testbed/base:1", "sleep", "3600");
    String other = testbed.docker(HOST, "inspect", "-f", "{{.Id}}", id + "-other");
    Testbed.waitUntil(id + " serves v1", Duration.ofSeconds(30), () -> Apps.get(testbed.address(HOST), APP_PORT).equals("version v1"));

    startServer("v*");
    hook("v2");

    assertEquals("version v2", Apps.get(testbed.address(HOST), APP_PORT), "the published port serves the new tag");
    assertEquals(repo + ":v2", testbed.docker(HOST, "inspect", "-f", "{{.Config.Image}}", id));
    assertTrue(testbed.docker(HOST, "inspect", "-f", "{{json .Config.Env}}", id).contains("GREETING=hi there"));
    assertEquals("kept", testbed.docker(HOST, "exec", id, "cat", "/data/f"), "the same volume, its data kept");
    assertEquals("web", testbed.docker(HOST, "inspect", "-f", "{{index .Config.Labels \"team\"}}", id));
    assertEquals("unless-stopped", testbed.docker(HOST, "inspect", "-f", "{{.HostConfig.RestartPolicy.Name}}", id));
    assertEquals("67108864", testbed.docker(HOST, "inspect", "-f", "{{.HostConfig.Memory}}", id));
    assertEquals(other, testbed.docker(HOST, "inspect", "-f", "{{.Id}}", id + "-other"), "another repository's container is left alone");
  }

  /**
   * Compose stays the source of truth: the service whose file names the pushed tag is recreated by
   * Compose (its .env read in its own directory, its labels Compose's), its health waited for; the
   * service whose file pins another tag is left running; a second push of the same image changes
   * nothing.
   */
  @Test
  void aComposeServiceIsUpdatedTheComposeWayFromItsOwnFiles() throws Exception {
    pushVersions();
    testbed.push("h1", id + ":v1", repo + ":latest");
    Path project = testbed.hostFile(HOST, "/srv/" + id);
    Files.createDirectories(project);
    Files.writeString(project.resolve(".env"), "WEB_PORT=" + COMPOSE_PORT + "\n");
    Files.writeString(project.resolve("compose.yml"), """
        version: "3.7"
        services:
          web:
            image: %1$s:latest
            ports: ["${WEB_PORT}:8080"]
            environment:
              GREETING: from compose
          pinned:
            image: %1$s:v1
        """.formatted(repo));
    testbed.exec(HOST, "sh", "-c", "cd /srv/" + id + " && docker-compose -p " + id + " up -d");
    String web = id + "_web_1";
    String pinned = testbed.docker(HOST, "inspect", "-f", "{{.Id}}", id + "_pinned_1");
    Testbed.waitUntil(web + " serves v1", Duration.ofSeconds(30),
        () -> Apps.get(testbed.address(HOST), COMPOSE_PORT).equals("version v1"));

    testbed.push("h1", id + ":v2", repo + ":latest");
    String webBefore = testbed.docker(HOST, "inspect", "-f", "{{.Id}}", web);
    var check = testbed.play(work, HOST, """
        - redeploy_running: {repository: "%s", tag: latest}
        """.formatted(repo), "--check");
    assertEquals(0, check.exitCode(), check.out() + check.err());
    assertTrue(check.out().contains(web + ": would be recreated by Compose project " + id + ", service web"), check.out());
    assertTrue(check.out().contains(id + "_pinned_1: left to Compose project " + id + ", service pinned"), check.out());
    assertEquals(webBefore, testbed.docker(HOST, "inspect", "-f", "{{.Id}}", web), "--check changes nothing");

    startServer("latest");
    String first = hook("latest");
    assertEquals("version v2", Apps.get(testbed.address(HOST), COMPOSE_PORT), "Compose recreated web on the pushed image");
    assertEquals("healthy", testbed.docker(HOST, "inspect", "-f", "{{.State.Health.Status}}", web));
    assertEquals(id, testbed.docker(HOST, "inspect", "-f", "{{index .Config.Labels \"com.docker.compose.project\"}}", web));
    assertTrue(testbed.docker(HOST, "inspect", "-f", "{{json .Config.Env}}", web).contains("GREETING=from compose"));
    assertEquals(pinned, testbed.docker(HOST, "inspect", "-f", "{{.Id}}", id + "_pinned_1"), "a file pinning v1 is left alone");
    String recreated = testbed.docker(HOST, "inspect", "-f", "{{.Id}}", web);

    String again = hook("latest");
    assertEquals(recreated, testbed.docker(HOST, "inspect", "-f", "{{.Id}}", web), "the same image again changes nothing");
    assertTrue(first.contains("recreated by Compose project " + id + ", service web on " + repo + ":latest"), first);
    assertTrue(first.contains("left to Compose project " + id + ", service pinned: its files name " + repo + ":v1"), first);
    assertTrue(again.contains("runs " + repo + ":latest") && again.contains("already; Compose project " + id), again);
  }

  /** v1 and v2 of the app, built on h1 and pushed to the testbed's registry as repo:v1 and repo:v2. */
  private void pushVersions() throws Exception {
    Apps.build(testbed, work.resolve("images"), "h1", Map.of(id + ":v1", Apps.GOOD, id + ":v2", Apps.GOOD));
    for (String tag : List.of("v1", "v2")) {
      testbed.push("h1", id + ":" + tag, repo + ":" + tag);
    }
  }

  private void startServer(String tags) throws Exception {
    Path jar = testbed.projectDir().resolve("target/deployer.jar");
    ServerProcess.passwd(jar, work.resolve("users.txt"), "ci", "ADMIN", "ci-password-123");
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
            tags: ["%s"]
            hook_token: "%s"
        """.formatted(server.port, testbed.inventory(), HOST, testbed.registry(), tags, TOKEN));
    server.start();
  }

  /** A Docker Hub push of repo:tag, waited for to its end, which must be ok: its run log. */
  private String hook(String tag) throws Exception {
    String body = "{\"push_data\": {\"tag\": \"" + tag + "\"}, \"repository\": {\"repo_name\": \"" + repo + "\"}}";
    var answer = server.post("/hooks/dockerhub/" + TOKEN, body, Map.of("Content-Type", "application/json"));
    assertEquals(202, answer.statusCode(), answer.body());
    String deployment = JSON.readTree(answer.body()).get("deployment").asText();
    JsonNode status = server.awaitEnd("everything", deployment, ServerProcess.basic("ci", "ci-password-123"));
    String log = server.get("/logs/everything/" + deployment, ServerProcess.basic("ci", "ci-password-123")).body();
    assertEquals("ok", status.get("state").asText(), status + "\n" + log);
    return log;
  }
}
