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
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.deployer.testbed.Apps;
import dev.deployer.testbed.Testbed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * deployer serve as its users meet it: a real server process, real HTTP requests, real deploys on
 * the testbed, WireMock standing in for Docker Hub's callback URL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> HOSTS = List.of("h1", "h2", "h3");
  private static final String SECRET = "it-secret-" + UUID.randomUUID();
  private static final String SIGNING = "it-signing-" + UUID.randomUUID();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final Testbed testbed = new Testbed();
  private static final String app = "srv" + UUID.randomUUID().toString().substring(0, 6);
  private static final int appPort = 20000 + Math.floorMod(app.hashCode(), 10000); // under the ephemeral ports
  private static Path work;
  private static String repo;
  private static int port;
  private static Process server;
  private static WireMockServer callbacks;

  @BeforeAll
  static void startEverything() throws Exception {
    work = Files.createTempDirectory("deployer-server-it");
    repo = testbed.registry() + "/it/" + app;
    Apps.build(testbed, work.resolve("images"), "h1", Map.of(
        app + ":v1", Apps.GOOD, app + ":v2", Apps.GOOD, app + ":v3", Apps.UNHEALTHY, app + "-upload:u1", Apps.GOOD));
    for (String tag : List.of("v1", "v2", "v3")) {
      testbed.docker("h1", "tag", app + ":" + tag, repo + ":" + tag);
      testbed.docker("h1", "push", repo + ":" + tag);
    }
    Files.writeString(work.resolve("hook.yml"), """
        - name: Deploy {{project}}
          hosts: all
          tasks:
            - docker_image: {action: pull, image: "{{image}}"}
              when: "!uploaded"
            - swap_container: {name: "%s", image: "{{image}}", ports: ["%d:8080"], stop_timeout: 1}
        """.formatted(app, appPort));
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    callbacks = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    callbacks.start();
    callbacks.stubFor(post(urlPathMatching("/callback/.*")).willReturn(aResponse().withStatus(200)));
    Files.writeString(work.resolve("server.yml"), """
        listen: 127.0.0.1:%d
        api_root: /deploy
        inventory: %s
        data_dir: data
        users: users.txt
        max_hook_kb: 64
        hook_rate_per_minute: 40
        keep_uploads: 0
        callback_hosts: ["127.0.0.1:%d"]
        projects:
          web:
            playbook: hook.yml
            hosts: web
            repositories: ["%s", "%s-upload"]
            tags: ["v*", "u*"]
            hook_token: "${IT_HOOK_SECRET}"
            signing_secret: "${IT_SIGNING_SECRET}"
        """.formatted(port, testbed.inventory(), callbacks.port(), repo, app));
    passwd("admin", "ADMIN", "admin-password");
    passwd("ci", "USER", "ci-password-123");
    start();
  }

  @AfterAll
  static void stopEverything() {
    if (server != null) {
      server.destroyForcibly();
    }
    if (callbacks != null) {
      callbacks.stop();
    }
    testbed.removeContainers(app, HOSTS.toArray(String[]::new));
  }

  private static Path jar() {
    return testbed.projectDir().resolve("target/deployer.jar");
  }

  private static void passwd(String user, String role, String password) throws Exception {
    Process p = new ProcessBuilder("java", "-jar", jar().toString(), "passwd", user, "--role", role, "-f",
        work.resolve("users.txt").toString()).redirectErrorStream(true).start();
    p.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
  }

  private static void start() throws Exception {
    ProcessBuilder builder = new ProcessBuilder("java", "-jar", jar().toString(), "serve", "-c",
        work.resolve("server.yml").toString());
    builder.environment().put("IT_HOOK_SECRET", SECRET);
    builder.environment().put("IT_SIGNING_SECRET", SIGNING);
    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("server.log").toFile()));
    server = builder.start();
    for (int i = 0; i < 100; i++) {
      try {
        if (get("/", null).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("server did not start: " + Files.readString(work.resolve("server.log")));
  }

  private static HttpResponse<String> get(String path, String auth) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/deploy" + path))
        .timeout(Duration.ofSeconds(20));
    if (auth != null) {
      request.header("Authorization", auth);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> postJson(String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/deploy" + path))
        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static final String CI = basic("ci", "ci-password-123");
  private static final String ADMIN = basic("admin", "admin-password");

  private static String dockerHub(String tag, String callbackPath) {
    return """
        {"callback_url": "http://127.0.0.1:%d%s",
         "push_data": {"images": [], "pushed_at": 1.417566161e+09, "pusher": "it", "tag": "%s"},
         "repository": {"repo_name": "%s", "name": "%s", "namespace": "it", "status": "Active"}}
        """.formatted(callbacks.port(), callbackPath, tag, repo, app);
  }

  private static String hook(String tag, String callbackPath) throws Exception {
    HttpResponse<String> response = postJson("/hooks/dockerhub/" + SECRET, dockerHub(tag, callbackPath), Map.of());
    assertEquals(202, response.statusCode(), response.body());
    return JSON.readTree(response.body()).get("deployment").asText();
  }

  private static JsonNode status(String id) throws Exception {
    return JSON.readTree(get("/status/web/" + id, CI).body());
  }

  private static JsonNode waitFor(String id, Set<String> states) throws Exception {
    for (int i = 0; i < 600; i++) {
      JsonNode status = status(id);
      if (states.contains(status.get("state").asText())) {
        return status;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("deployment " + id + " never reached " + states + ": " + status(id));
  }

  private static final Set<String> FINAL = Set.of("ok", "failed", "changed");

  private static void assertServing(String version) {
    for (String host : HOSTS) {
      assertEquals("version " + version, Apps.get(testbed.address(host), appPort), host);
    }
  }

  private static String callbackState(String path) throws Exception {
    for (int i = 0; i < 40; i++) {
      List<LoggedRequest> requests = callbacks.findAll(postRequestedFor(urlEqualTo(path)));
      if (!requests.isEmpty()) {
        return JSON.readTree(requests.get(0).getBodyAsString()).get("state").asText();
      }
      Thread.sleep(250);
    }
    return "none";
  }

  @Test
  @Order(1)
  void badRequestsGetTheirStatusAndDeployNothing() throws Exception {
    assertEquals(200, get("/", null).statusCode());
    assertEquals(401, get("/list", null).statusCode());
    assertEquals(401, get("/list", basic("ci", "wrong")).statusCode());
    assertEquals(200, get("/list", CI).statusCode());
    assertEquals(403, get("/logs/web/x", CI).statusCode());
    assertEquals(200, get("/deployments", ADMIN).statusCode());

    assertEquals(401, postJson("/hooks/dockerhub/wrong-token-0123456789", dockerHub("v1", "/cb/x"), Map.of()).statusCode());
    assertEquals(400, postJson("/hooks/dockerhub/" + SECRET, "{not json", Map.of()).statusCode());
    assertEquals(422, postJson("/hooks/dockerhub/" + SECRET, dockerHub("v1", "/cb/x").replace(repo, "other/repo"), Map.of())
        .statusCode());
    assertEquals(422, postJson("/hooks/dockerhub/" + SECRET, dockerHub("latest", "/cb/x"), Map.of()).statusCode());
    assertEquals(413, postJson("/hooks/dockerhub/" + SECRET, "{\"x\": \"" + "a".repeat(100_000) + "\"}", Map.of()).statusCode());
    String generic = "{\"image\": \"" + repo + "\", \"tag\": \"v1\"}";
    assertEquals(401, postJson("/hooks/generic/web", generic, Map.of("X-Signature-256", "sha256=00")).statusCode());
    assertEquals(401, postJson("/hooks/generic/web", generic, Map.of()).statusCode());
    assertEquals(404, postJson("/hooks/generic/nope", generic, Map.of()).statusCode());

    assertEquals("no", JSON.readTree(get("/status/web", CI).body()).get("state").asText());
    assertEquals(0, JSON.readTree(get("/info", CI).body()).get("queue").asInt());
  }

  @Test
  @Order(2)
  void aDockerHubPushDeploysTheTagAndCallsBackSuccess() throws Exception {
    String id = hook("v1", "/callback/first");
    JsonNode done = waitFor(id, FINAL);
    assertEquals("ok", done.get("state").asText(), done.toString());
    assertEquals(3, done.get("hosts").size(), done.toString());
    assertServing("v1");
    assertEquals("success", callbackState("/callback/first"));
    String log = get("/logs/web/" + id, ADMIN).body();
    assertTrue(log.contains("PLAY [Deploy web]") && log.contains("PLAY RECAP"), "the play's name rendered: " + log);
    assertEquals(id, JSON.readTree(get("/status/web", CI).body()).get("deployment").asText());
  }

  @Test
  @Order(3)
  void aFailingVersionCallsBackFailureAndTheHostsKeepServingTheOldOne() throws Exception {
    String id = hook("v3", "/callback/failing");
    JsonNode done = waitFor(id, FINAL);
    assertEquals("failed", done.get("state").asText(), done.toString());
    assertEquals(2, done.get("exit_code").asInt());
    assertEquals(3, done.get("failed_hosts").size(), done.toString());
    assertServing("v1");
    assertEquals("failure", callbackState("/callback/failing"));
  }

  @Test
  @Order(4)
  void threeHooksInARowSupersedeTheMiddleOne() throws Exception {
    String first = hook("v2", "/callback/a");
    // The next two must arrive while the first runs, or there is nothing to supersede.
    waitFor(first, Set.of("active"));
    String generic = "{\"image\": \"" + repo + "\", \"tag\": \"v1\"}";
    long now = java.time.Instant.now().getEpochSecond();
    String hookId = "msg_" + UUID.randomUUID();
    HttpResponse<String> middle = postJson("/hooks/generic/web", generic, Map.of("webhook-id", hookId,
        "webhook-timestamp", String.valueOf(now),
        "webhook-signature", HookSignature.sign(SIGNING, hookId, now, generic.getBytes(StandardCharsets.UTF_8))));
    assertEquals(202, middle.statusCode(), middle.body());
    String second = JSON.readTree(middle.body()).get("deployment").asText();
    String third = hook("v2", "/callback/c");
    assertEquals("ok", waitFor(first, FINAL).get("state").asText());
    assertEquals("changed", waitFor(second, FINAL).get("state").asText());
    assertEquals("ok", waitFor(third, FINAL).get("state").asText());
    assertServing("v2");
    JsonNode stat = JSON.readTree(get("/stat", CI).body()).get("projects").get("web");
    assertTrue(stat.get("states").get("changed").asInt() >= 1, stat.toString());
    assertTrue(stat.get("p95_ms").asLong() > 0, stat.toString());
  }

  @Test
  @Order(5)
  void anUploadedDockerSaveTarIsDeployedOnEveryHost() throws Exception {
    testbed.docker("h1", "save", "--output", "/opt/" + app + "-upload.tar", app + "-upload:u1");
    byte[] tar = Files.readAllBytes(testbed.hostFile("h1", "/opt/" + app + "-upload.tar"));
    String boundary = "----it" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"project\"\r\n\r\nweb\r\n--" + boundary
        + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"app.tar\"\r\n"
        + "Content-Type: application/x-tar\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(tar);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/deploy/upload"))
        .header("Authorization", CI).header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(202, response.statusCode(), response.body());
    JsonNode queued = JSON.readTree(response.body());
    assertEquals(app + "-upload:u1", queued.get("image").asText());
    JsonNode done = waitFor(queued.get("deployment").asText(), FINAL);
    assertEquals("ok", done.get("state").asText(), done + "\n" + get("/logs/web/" + done.get("deployment").asText(), ADMIN).body());
    assertEquals("ci", done.get("requested_by").asText());
    assertServing("u1");
    Path files = work.resolve("data/uploads").resolve(done.get("deployment").asText());
    Testbed.waitUntil("the upload's files are removed (keep_uploads: 0)", Duration.ofSeconds(30), () -> !Files.exists(files));
  }

  @Test
  @Order(6)
  void sigtermLetsTheActiveDeploymentFinish() throws Exception {
    String id = hook("v1", "/callback/term");
    waitFor(id, Set.of("active"));
    server.destroy();
    assertTrue(server.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
    start();
    assertEquals("ok", waitFor(id, FINAL).get("state").asText());
    assertServing("v1");
  }

  @Test
  @Order(7)
  void aKilledServerResumesItsQueueAndLosesNothing() throws Exception {
    String active = hook("v2", "/callback/k1");
    waitFor(active, Set.of("active"));
    String queuedOld = hook("v1", "/callback/k2");
    String queuedNew = hook("v2", "/callback/k3");
    server.destroyForcibly();
    server.waitFor();
    start();
    JsonNode interrupted = waitFor(active, FINAL);
    assertEquals("failed", interrupted.get("state").asText(), interrupted.toString());
    assertEquals("interrupted", interrupted.get("reason").asText());
    assertEquals("changed", waitFor(queuedOld, FINAL).get("state").asText());
    JsonNode last = waitFor(queuedNew, FINAL);
    assertEquals("ok", last.get("state").asText(), last + "\n" + get("/logs/web/" + queuedNew, ADMIN).body());
    assertServing("v2");
    for (String host : HOSTS) {
      List<String> left = testbed.docker(host, "ps", "-a", "--format", "{{.Names}}").lines()
          .filter(name -> name.startsWith(app)).toList();
      assertEquals(List.of(app), left, host);
    }
  }

  @Test
  @Order(8)
  void aFloodOfHooksIsThrottledByTheSocketsAddressNotXRealIp() throws Exception {
    String generic = "{\"image\": \"" + repo + "\", \"tag\": \"v1\"}";
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      statuses.add(postJson("/hooks/generic/web", generic,
          Map.of("X-Signature-256", "sha256=00", "X-Real-IP", "203.0.113." + i)).statusCode());
    }
    assertTrue(statuses.contains(429), statuses.toString());
    assertTrue(statuses.stream().allMatch(s -> s == 401 || s == 429), statuses.toString());
    assertEquals(0, JSON.readTree(get("/info", CI).body()).get("queue").asInt());
  }
}
