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
import dev.deployer.testbed.TestPostgres;
import dev.deployer.testbed.Testbed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deployer serve without a single point of failure: replicas on one PostgreSQL, 100 Docker Hub
 * hooks sent to them in turn over four projects, one replica SIGKILLed in the middle (and
 * started again). Every accepted deployment ends exactly once, no project ever runs two at once,
 * the newest of each project is deployed, and each callback is sent once (twice only when the
 * kill cut its request off in flight). The same on SQLite with one server, killed and started
 * again. Users and tokens live in the shared database: one made there counts on every replica.
 */
class ServerReplicasIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int HOOKS = 100;
  private static final int PROJECTS = 4;
  private static final String PASSWORD = "replica-password-123";
  private final Testbed testbed = new Testbed();
  private final String id = "rp" + UUID.randomUUID().toString().substring(0, 6);
  private final String token = "replicas-" + UUID.randomUUID();
  private final String runLog = "/tmp/" + id + ".log";
  private final List<ServerProcess> replicas = new ArrayList<>();
  private WireMockServer callbacks;
  private TestPostgres postgres;

  @TempDir Path work;

  @AfterEach
  void stop() throws Exception {
    for (ServerProcess replica : replicas) {
      replica.kill();
    }
    if (callbacks != null) {
      callbacks.stop();
    }
    if (postgres != null) {
      postgres.close();
    }
    testbed.status("h1", "rm", "-f", runLog);
  }

  @Test
  void twoReplicasOnPostgresqlLoseNothingWhenOneIsKilled() throws Exception {
    postgres = TestPostgres.start();
    scenario(postgres.url(), 2);
  }

  @Test
  void oneServerOnSqliteLosesNothingWhenItIsKilled() throws Exception {
    scenario(null, 1);
  }

  private void scenario(String store, int count) throws Exception {
    callbacks = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    callbacks.start();
    callbacks.stubFor(post(urlPathMatching("/cb/.*")).willReturn(aResponse().withStatus(200)));
    Files.writeString(work.resolve("play.yml"), """
        - name: Deploy {{project}}
          hosts: all
          tasks:
            - command: "echo begin {{project}} {{deploy_id}} >> %1$s; sleep 0.3; echo end {{project}} {{deploy_id}} >> %1$s"
        """.formatted(runLog));
    Path jar = testbed.projectDir().resolve("target/deployer.jar");
    if (store != null) {
      // Users live in the shared database: written once, known to every replica.
      deployer(jar, PASSWORD + "\n", "passwd", "admin", "--role", "ADMIN", "--store", store);
    }
    for (int r = 0; r < count; r++) {
      Path dir = Files.createDirectories(work.resolve("replica" + r));
      if (store == null) {
        ServerProcess.passwd(jar, dir.resolve("users.txt"), "admin", "ADMIN", PASSWORD);
      }
      ServerProcess replica = new ServerProcess(jar, dir, Map.of());
      Files.writeString(dir.resolve("server.yml"), config(replica.port, store));
      replica.start();
      replicas.add(replica);
    }

    Map<String, Integer> accepted = new LinkedHashMap<>();
    Map<String, String> projectOf = new HashMap<>();
    java.util.Date killedAt = null;
    for (int i = 0; i < HOOKS; i++) {
      if (i == HOOKS / 2) {
        // Mid-stream, with deployments running: the first replica dies and comes back.
        // Taken once it is dead: a callback it sent in the last moments before is still cut off.
        replicas.get(0).kill();
        killedAt = new java.util.Date();
        replicas.get(0).start();
      }
      String project = "p" + i % PROJECTS;
      ServerProcess to = replicas.get(i % count);
      String body = """
          {"callback_url": "http://127.0.0.1:%d/cb/%d", "push_data": {"tag": "v%d"},
           "repository": {"repo_name": "example/%s"}}""".formatted(callbacks.port(), i, i, project);
      var answer = to.post("/hooks/dockerhub/" + token + "-" + project, body, Map.of("Content-Type", "application/json"));
      assertEquals(202, answer.statusCode(), answer.body());
      String deployment = JSON.readTree(answer.body()).get("deployment").asText();
      accepted.put(deployment, i);
      projectOf.put(deployment, project);
    }

    // Any replica answers for any deployment: the last one is asked about all of them.
    ServerProcess reader = replicas.get(count - 1);
    String admin = ServerProcess.basic("admin", PASSWORD);
    Map<String, JsonNode> ended = new LinkedHashMap<>();
    for (String deployment : accepted.keySet()) {
      ended.put(deployment, reader.awaitEnd(projectOf.get(deployment), deployment, admin));
    }
    Testbed.waitUntil("a callback for each of " + accepted.size() + " deployments", Duration.ofSeconds(90),
        () -> callbacks.findAll(postRequestedFor(urlPathMatching("/cb/.*"))).size() >= accepted.size());

    for (var each : accepted.entrySet()) {
      JsonNode status = ended.get(each.getKey());
      String state = status.get("state").asText();
      assertTrue(Set.of("ok", "changed").contains(state)
          || state.equals("failed") && status.path("reason").asText().equals("interrupted"), status.toString());
      var sent = callbacks.findAll(postRequestedFor(urlEqualTo("/cb/" + each.getValue())));
      // Once each; the one exception no sender can avoid: a request in flight when its sender was
      // killed (sent, its answer never recorded) is sent again, at least once as documented.
      boolean inFlightAtKill = sent.size() == 2 && !sent.get(0).getLoggedDate().after(killedAt)
          && sent.get(0).getLoggedDate().getTime() > killedAt.getTime() - 11_000;
      assertTrue(sent.size() == 1 || inFlightAtKill, "callbacks for hook " + each.getValue() + ": " + sent.size()
          + " (" + status + ")");
    }
    JsonNode info = JSON.readTree(reader.get("/info", admin).body());
    assertEquals(Map.of("sent", accepted.size()), JSON.convertValue(info.get("callbacks"), Map.class), info.toString());

    // The newest deployment of each project is the one that ran last, and ran to the end.
    Map<String, String> newest = new HashMap<>();
    accepted.keySet().forEach(deployment -> newest.put(projectOf.get(deployment), deployment));
    newest.values().forEach(deployment -> assertEquals("ok", ended.get(deployment).get("state").asText(),
        "the newest of " + projectOf.get(deployment)));
    checkRuns(Files.readAllLines(testbed.hostFile("h1", runLog)), ended);
    // Every replica shows the log of every deployment that ran, whichever replica ran it.
    for (ServerProcess replica : replicas) {
      for (String deployment : newest.values()) {
        String log = replica.get("/logs/" + projectOf.get(deployment) + "/" + deployment, admin).body();
        assertTrue(log.startsWith("deployment " + deployment + " of ") && log.contains("PLAY RECAP"), log);
      }
    }
    if (store != null) {
      tokensCountOnEveryReplicaAtOnce(jar, store);
    }
  }

  /** A token made or revoked in the shared database counts on every replica, without a restart. */
  private void tokensCountOnEveryReplicaAtOnce(Path jar, String store) throws Exception {
    String token = deployer(jar, "", "token", "create", "ci", "--role", "USER", "--store", store).strip();
    for (ServerProcess replica : replicas) {
      assertEquals(200, replica.get("/status/p0", "Bearer " + token).statusCode());
    }
    deployer(jar, "", "token", "revoke", "ci", "--store", store);
    for (ServerProcess replica : replicas) {
      assertEquals(401, replica.get("/status/p0", "Bearer " + token).statusCode());
    }
  }

  /** Runs the built deployer with {@code stdin}; its standard output. */
  private static String deployer(Path jar, String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-jar", jar.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    process.getOutputStream().write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), String.join(" ", args) + ": " + out);
    return out;
  }

  /**
   * The runs on the host, from the log each run appends to: one project never has two runs at
   * once, no deployment runs twice, an ok one ran begin to end, and a run left without its end
   * is one its replica's death cut off.
   */
  private static void checkRuns(List<String> lines, Map<String, JsonNode> ended) {
    Map<String, String> running = new HashMap<>();
    Set<String> begun = new java.util.HashSet<>();
    Set<String> finished = new java.util.HashSet<>();
    for (String line : lines) {
      String[] words = line.split(" ");
      String project = words[1];
      String deployment = words[2];
      if (words[0].equals("begin")) {
        assertTrue(begun.add(deployment), deployment + " ran twice:\n" + String.join("\n", lines));
        String before = running.put(project, deployment);
        assertTrue(before == null || ended.get(before).path("reason").asText().equals("interrupted"),
            project + " ran " + deployment + " while " + before + " was running:\n" + String.join("\n", lines));
      } else {
        assertEquals(deployment, running.remove(project), line);
        finished.add(deployment);
      }
    }
    for (var each : ended.entrySet()) {
      String state = each.getValue().get("state").asText();
      if (state.equals("ok")) {
        assertTrue(finished.contains(each.getKey()), each.getKey() + " is ok but did not run to its end");
      }
      if (state.equals("changed")) {
        assertTrue(!begun.contains(each.getKey()), each.getKey() + " was superseded but ran");
      }
    }
  }

  private String config(int port, String store) {
    StringBuilder projects = new StringBuilder();
    for (int p = 0; p < PROJECTS; p++) {
      projects.append("""
            p%1$d:
              playbook: %2$s
              hosts: h1
              repositories: ["example/p%1$d"]
              tags: ["v*"]
              hook_token: "%3$s-p%1$d"
          """.formatted(p, work.resolve("play.yml"), token));
    }
    return """
        listen: 127.0.0.1:%d
        api_root: /deploy
        inventory: %s
        data_dir: data
        %s
        callback_hosts: ["127.0.0.1:%d"]
        hook_rate_per_minute: 1000
        projects:
        %s""".formatted(port, testbed.inventory(), store == null ? "users: users.txt" : "store: \"" + store + "\"", callbacks.port(),
            projects);
  }
}
