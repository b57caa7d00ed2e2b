package dev.deployer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deployer.testbed.Testbed;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real {@code deployer serve} process for an IT: started, killed, started again, asked over HTTP. */
final class ServerProcess {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Path jar;
  private final Path work;
  private final Map<String, String> env;
  final int port;
  private Process process;

  ServerProcess(Path jar, Path work, Map<String, String> env) throws IOException {
    this.jar = jar;
    this.work = work;
    this.env = env;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
  }

  String base() {
    return "http://127.0.0.1:" + port + "/deploy";
  }

  void start() throws Exception {
    ProcessBuilder builder = new ProcessBuilder("java", "-jar", jar.toString(), "serve", "-c", work.resolve("server.yml").toString());
    builder.environment().putAll(env);
    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    process = builder.start();
    Testbed.waitUntil("the server answers", Duration.ofSeconds(30), () -> {
      try {
        return get("/", null).statusCode() == 200;
      } catch (Exception e) {
        return false;
      }
    });
  }

  Path log() {
    return work.resolve("server.log");
  }

  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  void stop() throws InterruptedException {
    process.destroy();
    process.waitFor(120, TimeUnit.SECONDS);
  }

  Process process() {
    return process;
  }

  HttpResponse<String> get(String path, String auth) throws Exception {
    return get(path, auth, Map.of());
  }

  HttpResponse<String> get(String path, String auth, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20));
    if (auth != null) {
      request.header("Authorization", auth);
    }
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, byte[] body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
    return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  /** The deployment's status once it has ended (no longer await or active), as a user reads it. */
  com.fasterxml.jackson.databind.JsonNode awaitEnd(String project, String deployment, String auth) {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode[] seen = new com.fasterxml.jackson.databind.JsonNode[1];
    Testbed.waitUntil(project + " deployment " + deployment + " ends (server log: " + log() + ")", Duration.ofSeconds(120), () -> {
      try {
        seen[0] = json.readTree(get("/status/" + project + "/" + deployment, auth).body());
        return !java.util.Set.of("await", "active").contains(seen[0].path("state").asText());
      } catch (Exception e) {
        return false;
      }
    });
    return seen[0];
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static void passwd(Path jar, Path users, String user, String role, String password) throws Exception {
    Process p = new ProcessBuilder("java", "-jar", jar.toString(), "passwd", user, "--role", role, "-f", users.toString())
        .redirectErrorStream(true).start();
    p.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
  }

  /** A multipart/form-data body: plain fields, and files (name to bytes). */
  static byte[] form(String boundary, Map<String, String> fields, Map<String, byte[]> files) throws IOException {
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    for (var field : fields.entrySet()) {
      body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
          + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    for (var file : files.entrySet()) {
      body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file.getKey() + "\"; filename=\""
          + file.getKey() + ".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      body.write(file.getValue());
      body.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return body.toByteArray();
  }
}
