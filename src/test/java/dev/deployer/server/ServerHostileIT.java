package dev.deployer.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.deployer.testbed.Testbed;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * deployer serve as a hostile client meets it: a real server process on loopback, raw sockets
 * for slow clients, every loop bounded. Deployments run on testbed host h1 and record each run
 * there, so "nothing ran twice" is read off the host.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerHostileIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Testbed testbed = new Testbed();
  private static final String RUN = "hostile" + UUID.randomUUID().toString().substring(0, 6);
  private static final String RUNS_FILE = "/tmp/" + RUN + "-runs";
  private static final String TOKEN = "hook-token-" + UUID.randomUUID();
  private static final String SIGNING = "whsec_" + java.util.Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes());
  private static final List<String> PROJECTS = List.of("p1", "p2", "p3", "p4");
  private static final String CI = ServerProcess.basic("ci", "ci-password-123");
  private static final String ADMIN = ServerProcess.basic("admin", "admin-password-123");

  private static Path work;
  private static ServerProcess server;
  private static WireMockServer allowed;
  private static WireMockServer forbidden;

  @BeforeAll
  static void start() throws Exception {
    work = Files.createTempDirectory("deployer-hostile-it");
    allowed = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    forbidden = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    allowed.start();
    forbidden.start();
    allowed.stubFor(post(urlPathMatching("/cb/.*")).willReturn(aResponse().withStatus(200)));
    forbidden.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(200)));
    Files.writeString(work.resolve("record.yml"), """
        - name: Record the run
          hosts: all
          tasks:
            - command: "sleep 1; echo {{deploy_id}} {{tag}} >> %s"
        """.formatted(RUNS_FILE));
    StringBuilder projects = new StringBuilder();
    for (String project : PROJECTS) {
      projects.append("""
            %s:
              playbook: record.yml
              hosts: h1
              repositories: ["example/app"]
              tags: ["v*"]
              hook_token: "%s-%s"
              signing_secret: "%s"
          """.formatted(project, TOKEN, project, SIGNING));
    }
    Files.writeString(work.resolve("server.yml"), """
        inventory: %s
        max_hook_kb: 16
        max_upload_mb: 1
        hook_rate_per_minute: 1000
        uploads_per_hour: 12
        callback_hosts: ["127.0.0.1:%d"]
        projects:
        %s""".formatted(testbed.inventory(), allowed.port(), projects));
    Path jar = testbed.projectDir().resolve("target/deployer.jar");
    ServerProcess.passwd(jar, work.resolve("users.txt"), "ci", "USER", "ci-password-123");
    ServerProcess.passwd(jar, work.resolve("users.txt"), "admin", "ADMIN", "admin-password-123");
    server = new ServerProcess(jar, work, Map.of());
    Files.writeString(work.resolve("server.yml"), "listen: 127.0.0.1:" + server.port + "\n" + Files.readString(work.resolve("server.yml")));
    server.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.kill();
    }
    if (allowed != null) {
      allowed.stop();
      forbidden.stop();
    }
    testbed.exec("h1", "rm", "-f", RUNS_FILE);
  }

  private static int queued() throws Exception {
    return JSON.readTree(server.get("/deployments", ADMIN).body()).get("deployments").size();
  }

  private static String dockerHub(String repo, String tag, String callback) {
    return """
        {"callback_url": %s, "push_data": {"tag": %s}, "repository": {"repo_name": %s}}"""
        .formatted(callback == null ? "null" : quote(callback), quote(tag), quote(repo));
  }

  /** One HTTP/1.1 response off a raw connection, read to its end so the next can follow: its head. */
  private static String readResponse(java.io.InputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new java.io.EOFException("the connection closed after: " + head);
      }
      head.append((char) b);
    }
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    if (length.find()) {
      in.readNBytes(Integer.parseInt(length.group(1)));
    } else if (head.toString().toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
      for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
        in.readNBytes(size + 2);
      }
      in.readNBytes(2);
    }
    return head.toString();
  }

  private static int chunkSize(java.io.InputStream in) throws java.io.IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new java.io.EOFException("the connection closed inside a chunked body");
      }
      line.append((char) b);
    }
    return Integer.parseInt(line.toString().trim(), 16);
  }

  private static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> signed(String project, String id, long timestamp, String body) throws Exception {
    return server.post("/hooks/generic/" + project, body, Map.of("webhook-id", id, "webhook-timestamp", String.valueOf(timestamp),
        "webhook-signature", HookSignature.sign(SIGNING, id, timestamp, body.getBytes(StandardCharsets.UTF_8))));
  }

  private static HttpResponse<String> upload(Map<String, byte[]> files) throws Exception {
    String boundary = "----hostile" + UUID.randomUUID();
    return server.post("/upload", ServerProcess.form(boundary, Map.of("project", "p1"), files),
        Map.of("Authorization", CI, "Content-Type", "multipart/form-data; boundary=" + boundary));
  }

  @Test
  @Order(1)
  void fiftyClientsStalledMidBodyAndFiftyMidHeadersDoNotStopTheServer() throws Exception {
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        Socket socket = new Socket("127.0.0.1", server.port);
        socket.getOutputStream().write(("POST /deploy/hooks/dockerhub/" + TOKEN + "-p1 HTTP/1.1\r\nHost: x\r\n"
            + "Content-Length: 1000\r\n\r\n{\"push_data\": ").getBytes(StandardCharsets.UTF_8));
        stalled.add(socket);
      }
      for (int i = 0; i < 50; i++) {
        Socket socket = new Socket("127.0.0.1", server.port);
        socket.getOutputStream().write("GET /deploy/list HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.UTF_8));
        stalled.add(socket);
      }
      for (int i = 0; i < 5; i++) {
        long started = System.nanoTime();
        assertEquals(200, server.get("/", null).statusCode());
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertTrue(ms < 1000, "GET / took " + ms + " ms with 100 stalled clients");
      }
      assertEquals(200, server.get("/list", CI).statusCode());
    } finally {
      for (Socket socket : stalled) {
        socket.close();
      }
    }
    assertEquals(0, queued());
  }

  @Test
  @Order(2)
  void oversizedAndMalformedBodiesGetTheirStatusAndQueueNothing() throws Exception {
    String hook = "/hooks/dockerhub/" + TOKEN + "-p1";
    assertEquals(413, server.post(hook, "{\"x\": \"" + "a".repeat(20_000) + "\"}", Map.of()).statusCode());
    assertEquals(400, server.post(hook, "{not json", Map.of()).statusCode());
    assertEquals(400, server.post(hook, "[1, 2]", Map.of()).statusCode());
    assertEquals(400, server.post(hook, "{\"push_data\": {\"tag\": 1}, \"repository\": {\"repo_name\": []}}", Map.of()).statusCode());
    // A chunked body past the limit is answered 413 once it is read, not cut off while the client
    // still sends (a broken pipe on its side), and the connection serves the next request.
    try (Socket socket = new Socket("127.0.0.1", server.port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /deploy" + hook + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      byte[] chunk = "a".repeat(8192).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 64; i++) {
        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(chunk);
        out.write("\r\n".getBytes(StandardCharsets.UTF_8));
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertTrue(readResponse(socket.getInputStream()).startsWith("HTTP/1.1 413"));
      out.write("GET /deploy/ HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertTrue(readResponse(socket.getInputStream()).startsWith("HTTP/1.1 200"), "the same connection answers again");
    }
    assertEquals(431, server.get("/list", "Basic " + "A".repeat(20_000)).statusCode());
    assertEquals(413, upload(Map.of("image", new byte[2 * 1024 * 1024])).statusCode());
    assertEquals(400, server.post("/upload", "not a form", Map.of("Authorization", CI, "Content-Type",
        "multipart/form-data; boundary=zzz")).statusCode());
    assertEquals(400, upload(Map.of("image", "not a tar".getBytes(StandardCharsets.UTF_8))).statusCode());
    assertEquals(404, server.get("X/list", CI).statusCode(), "api_root is matched exactly");
    assertEquals(405, server.post("/list", "", Map.of("Authorization", CI)).statusCode());
    assertEquals(0, queued());
  }

  @Test
  @Order(3)
  void templateAndShellLookingNamesAre422AndQueueNothing() throws Exception {
    String hook = "/hooks/dockerhub/" + TOKEN + "-p1";
    for (String tag : List.of("v{{ansible_user}}", "v{{db_password}}", "v1;id", "v$(id)", "v1 --privileged", "v`id`")) {
      HttpResponse<String> answer = server.post(hook, dockerHub("example/app", tag, null), Map.of());
      assertEquals(422, answer.statusCode(), tag + ": " + answer.body());
    }
    assertEquals(422, server.post(hook, dockerHub("example/app{{x}}", "v1", null), Map.of()).statusCode());
    assertEquals(422, signed("p1", "tpl-" + UUID.randomUUID(), Instant.now().getEpochSecond(),
        "{\"image\": \"example/app\", \"tag\": \"v{{ansible_user}}\"}").statusCode());
    assertEquals(422, upload(Map.of("image", Tars.imageNamed("[\"example/app:v{{ansible_user}}\"]"))).statusCode());
    HttpResponse<String> object = upload(Map.of("image", Tars.imageNamed("{\"a\": \"b\"}")));
    assertEquals(400, object.statusCode());
    assertTrue(object.body().contains("RepoTags") && !object.body().contains("Exception"), object.body());
    assertEquals(422, upload(Map.of("image", Tars.imageNamed("[\"other/app:v1\"]"))).statusCode(),
        "an upload is checked against the project's repositories like a hook");
    assertEquals(0, queued());
  }

  @Test
  @Order(4)
  void packagesWithLinksOrPathsOutAre400AndLeaveNothingBehind() throws Exception {
    List<Tars.Entry> bad = List.of(Tars.Entry.symlink("users", "/etc/passwd"),
        Tars.Entry.symlink("key", "../../../root/.ssh/id_ed25519"),
        new Tars.Entry("hard", org.apache.commons.compress.archivers.tar.TarArchiveEntry.LF_LINK, null, "/etc/shadow"),
        Tars.Entry.file("../escape.txt", "x"), Tars.Entry.file("/etc/cron.d/evil", "x"));
    for (Tars.Entry entry : bad) {
      byte[] pkg = Tars.tar(true, Tars.Entry.file("index.html", "hi"), entry);
      HttpResponse<String> answer = upload(Map.of("package", pkg));
      assertEquals(400, answer.statusCode(), entry.name() + ": " + answer.body());
    }
    assertEquals(0, queued());
    try (var left = Files.list(work.resolve("data/uploads"))) {
      assertEquals(List.of(".incoming"), left.map(p -> p.getFileName().toString()).toList());
    }
    try (var left = Files.list(work.resolve("data/uploads/.incoming"))) {
      assertEquals(0, left.count());
    }
  }

  @Test
  @Order(5)
  void uploadsPerUserAreLimited() throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 13 && !statuses.contains(429); i++) {
      statuses.add(upload(Map.of("image", "not a tar".getBytes(StandardCharsets.UTF_8))).statusCode());
    }
    assertEquals(429, statuses.get(statuses.size() - 1), statuses.toString());
    assertTrue(statuses.subList(0, statuses.size() - 1).stream().allMatch(s -> s == 400), statuses.toString());
    assertEquals(202, signed("p1", "msg_" + UUID.randomUUID(), Instant.now().getEpochSecond(),
        "{\"image\": \"example/app\", \"tag\": \"v9\"}").statusCode(), "hooks are not uploads");
  }

  @Test
  @Order(6)
  void aSignedHookIsTakenOnceReplaysAre409AndStaleOnes401() throws Exception {
    String body = "{\"image\": \"example/app\", \"tag\": \"v1\"}";
    String id = "msg_" + UUID.randomUUID();
    long now = Instant.now().getEpochSecond();
    HttpResponse<String> first = signed("p2", id, now, body);
    assertEquals(202, first.statusCode(), first.body());
    assertEquals(409, signed("p2", id, now, body).statusCode());
    assertEquals(401, signed("p2", "msg_" + UUID.randomUUID(), now - 600, body).statusCode());
    assertEquals(401, server.post("/hooks/generic/p2", body, Map.of("webhook-id", "x", "webhook-timestamp",
        String.valueOf(now), "webhook-signature", HookSignature.sign("0123456789abcdef-other", "x", now, body.getBytes()))).statusCode());
    String legacy = "sha256=" + java.util.HexFormat.of().formatHex(HookSignature.hmac(SIGNING.getBytes(), body.getBytes()));
    assertEquals(401, server.post("/hooks/generic/p2", body, Map.of("X-Signature-256", legacy)).statusCode(),
        "the old scheme is off unless legacy_signature is set");
    String deployment = JSON.readTree(first.body()).get("deployment").asText();
    Testbed.waitUntil("the signed hook's deployment ends", Duration.ofSeconds(60), () -> state("p2", deployment).equals("ok"));
  }

  @Test
  @Order(7)
  void aCallbackToAHostNotAllowedIsRecordedAndNeverCalled() throws Exception {
    HttpResponse<String> answer = server.post("/hooks/dockerhub/" + TOKEN + "-p3",
        dockerHub("example/app", "v2", "http://127.0.0.1:" + forbidden.port() + "/internal/admin"), Map.of());
    assertEquals(202, answer.statusCode(), answer.body());
    String id = JSON.readTree(answer.body()).get("deployment").asText();
    Testbed.waitUntil("the deployment ends", Duration.ofSeconds(60), () -> state("p3", id).equals("ok"));
    JsonNode callbacks = JSON.readTree(server.get("/info", CI).body()).get("callbacks");
    assertTrue(callbacks.path("skipped").asInt() >= 1, callbacks.toString());
    assertEquals(0, forbidden.findAll(anyRequestedFor(anyUrl())).size());
  }

  private static String state(String project, String id) {
    try {
      return JSON.readTree(server.get("/status/" + project + "/" + id, CI).body()).path("state").asText();
    } catch (Exception e) {
      return "unknown";
    }
  }

  @Test
  @Order(8)
  void aSigkillWithTwentyQueuedAndCallbacksPendingLosesNothingAndRunsNothingTwice() throws Exception {
    allowed.resetMappings();
    allowed.stubFor(post(urlPathMatching("/cb/.*")).willReturn(aResponse().withStatus(503)));
    Map<String, String> projectOf = new HashMap<>();
    for (int round = 0; round < 5; round++) {
      for (String project : PROJECTS) {
        String callback = "http://127.0.0.1:" + allowed.port() + "/cb/" + project + "-" + round;
        HttpResponse<String> answer = server.post("/hooks/dockerhub/" + TOKEN + "-" + project,
            dockerHub("example/app", "v" + round, callback), Map.of());
        assertEquals(202, answer.statusCode(), answer.body());
        projectOf.put(JSON.readTree(answer.body()).get("deployment").asText(), project);
      }
    }
    // Killed once some deployment has ended and its callback is pending (the callback host says 503).
    Testbed.waitUntil("a deployment ends", Duration.ofSeconds(60),
        () -> projectOf.entrySet().stream().anyMatch(e -> Set.of("ok", "failed").contains(state(e.getValue(), e.getKey()))));
    Testbed.waitUntil("a callback is tried and refused (503)", Duration.ofSeconds(30),
        () -> !allowed.getAllServeEvents().isEmpty());
    server.kill();
    allowed.resetMappings();
    allowed.stubFor(post(urlPathMatching("/cb/.*")).willReturn(aResponse().withStatus(200)));
    server.start();

    Testbed.waitUntil("all 20 deployments end", Duration.ofSeconds(120), () -> projectOf.entrySet().stream()
        .allMatch(e -> Set.of("ok", "failed", "changed").contains(state(e.getValue(), e.getKey()))));
    Testbed.waitUntil("no callback is pending", Duration.ofSeconds(60), () -> {
      try {
        return JSON.readTree(server.get("/info", CI).body()).get("callbacks").path("pending").asInt() == 0;
      } catch (Exception e) {
        return false;
      }
    });
    for (String project : PROJECTS) {
      for (int round = 0; round < 5; round++) {
        String path = "/cb/" + project + "-" + round;
        // Delivered means answered 200; a try the old server made before it died was answered 503.
        long delivered = allowed.getAllServeEvents().stream()
            .filter(e -> e.getRequest().getUrl().equals(path) && e.getResponse().getStatus() == 200).count();
        assertEquals(1, delivered, path + " is delivered exactly once");
      }
    }
    List<String> runs = testbed.exec("h1", "cat", RUNS_FILE).lines().map(line -> line.split(" ")[0]).toList();
    assertEquals(new HashSet<>(runs).size(), runs.size(), "a deployment ran twice: " + runs);
    for (String project : PROJECTS) {
      List<JsonNode> ends = new ArrayList<>();
      for (var entry : projectOf.entrySet()) {
        if (entry.getValue().equals(project)) {
          ends.add(JSON.readTree(server.get("/status/" + project + "/" + entry.getKey(), CI).body()));
        }
      }
      // Only a run cut off midway fails; what was queued and not begun ran after the restart.
      assertTrue(ends.stream().filter(d -> d.get("state").asText().equals("failed")).count() <= 1, ends.toString());
      assertTrue(ends.stream().filter(d -> d.get("state").asText().equals("failed"))
          .allMatch(d -> d.get("reason").asText().equals("interrupted")), ends.toString());
      assertTrue(ends.stream().anyMatch(d -> d.get("state").asText().equals("ok")), ends.toString());
      ends.stream().filter(d -> d.get("state").asText().equals("ok"))
          .forEach(d -> assertTrue(runs.contains(d.get("deployment").asText()), d + " is ok but never ran: " + runs));
    }
  }

  @Test
  @Order(9)
  void spoofedRealIpsCannotSpreadSeventyFailedLoginsOverSeventyClients() throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      statuses.add(server.get("/list", ServerProcess.basic("ci", "guess-" + i), Map.of("X-Real-IP", "203.0.113." + i)).statusCode());
    }
    assertEquals(429, statuses.get(statuses.size() - 1), statuses.toString());
    assertTrue(statuses.subList(0, 10).stream().allMatch(s -> s == 401), statuses.toString());
    assertEquals(200, server.get("/list", ADMIN).statusCode(), "another user's proven login still works from this client");
    List<Integer> hooks = new ArrayList<>();
    String body = "{\"image\": \"example/app\", \"tag\": \"v1\"}";
    for (int i = 0; i < 5; i++) {
      hooks.add(server.post("/hooks/generic/p4", body, Map.of("webhook-id", "bad" + i, "webhook-timestamp", "1",
          "webhook-signature", "v1,AAAA", "X-Real-IP", "203.0.113." + i)).statusCode());
    }
    assertEquals(List.of(401, 401, 401, 401, 401), hooks, "bad signatures are not failed logins");
    String log = Files.readString(server.log());
    assertTrue(!log.contains(TOKEN) && !log.contains("ci-password-123"), "a secret reached the server's log");
    assertTrue(log.contains(" 429 "), "the log has one line per request");
  }
}
