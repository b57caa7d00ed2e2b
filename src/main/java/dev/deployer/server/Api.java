package dev.deployer.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.deployer.inventory.InventoryLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The HTTP API under api_root. Every answer is JSON (logs are text). Hooks authenticate with the
 * project's token or HMAC signature, compared in constant time; everything else with HTTP Basic
 * or a bearer token. Nothing is queued unless the request is fully valid.
 */
final class Api implements HttpHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerConfig config;
  private final DeploymentStore store;
  private final DeployQueue queue;
  private final Authenticator auth;
  private final String version;
  private final long startedAt = System.currentTimeMillis();
  private final RateLimiter hooks = new RateLimiter();

  Api(ServerConfig config, DeploymentStore store, DeployQueue queue, Users users, String version) {
    this.config = config;
    this.store = store;
    this.queue = queue;
    this.auth = new Authenticator(users);
    this.version = version;
  }

  /** An answer to send: a status and a JSON body (or text). */
  private record Reply(int status, Object body) {
    static Reply json(int status, Object body) {
      return new Reply(status, body);
    }

    static Reply error(int status, String message) {
      return new Reply(status, Map.of("error", message));
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Reply reply;
    try {
      reply = route(exchange);
    } catch (Multipart.TooLarge e) {
      reply = Reply.error(413, e.getMessage());
    } catch (SQLException e) {
      reply = Reply.error(500, "database error: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      reply = Reply.error(500, "internal error: " + e);
    }
    send(exchange, reply);
  }

  private Reply route(HttpExchange ex) throws IOException, SQLException {
    String path = ex.getRequestURI().getPath();
    if (!path.startsWith(config.apiRoot())) {
      return Reply.error(404, "not found; the API is under " + config.apiRoot());
    }
    String rest = path.substring(config.apiRoot().length()).replaceAll("/+$", "");
    String[] parts = rest.isEmpty() ? new String[0] : rest.substring(1).split("/");
    String method = ex.getRequestMethod();
    String first = parts.length == 0 ? "" : parts[0];

    if (first.equals("hooks")) {
      if (!method.equals("POST")) {
        return Reply.error(405, "hooks take POST");
      }
      if (!hooks.allow(client(ex), config.hookRatePerMinute())) {
        return Reply.error(429, "too many hook requests; slow down");
      }
      if (parts.length == 3 && parts[1].equals("dockerhub")) {
        return dockerHub(ex, parts[2]);
      }
      if (parts.length == 3 && parts[1].equals("generic")) {
        return generic(ex, parts[2]);
      }
      return Reply.error(404, "hooks are /hooks/dockerhub/{token} and /hooks/generic/{project}");
    }
    if (parts.length == 0 && method.equals("GET")) {
      return Reply.json(200, Map.of("name", "deployer", "version", version, "message", "deployer serve is running"));
    }
    Optional<Users.User> user = auth.user(ex.getRequestHeaders().getFirst("Authorization"), client(ex));
    if (user.isEmpty()) {
      return auth.tooManyFailures(client(ex))
          ? Reply.error(429, "too many failed logins; wait a minute")
          : Reply.error(401, "log in with HTTP Basic or a bearer token");
    }
    boolean admin = user.get().role() == Users.Role.ADMIN;
    switch (first) {
      case "list":
        return get(method, () -> Reply.json(200, Map.of("projects", projects())));
      case "info":
        return get(method, () -> Reply.json(200, info()));
      case "stat":
        return get(method, () -> Reply.json(200, Map.of("projects", store.stats())));
      case "status":
        return get(method, () -> status(parts));
      case "logs":
        if (!admin) {
          return Reply.error(403, "logs are for ADMIN users");
        }
        return get(method, () -> logs(parts));
      case "deployments":
        if (!admin) {
          return Reply.error(403, "the list of deployments is for ADMIN users");
        }
        return get(method, () -> Reply.json(200, Map.of("deployments", store.recent(100).stream().map(Deployment::view).toList())));
      case "upload":
        if (!method.equals("POST")) {
          return Reply.error(405, "upload takes POST");
        }
        return upload(ex, user.get());
      default:
        return Reply.error(404, "no endpoint " + rest);
    }
  }

  @FunctionalInterface
  private interface Answer {
    Reply get() throws IOException, SQLException;
  }

  private static Reply get(String method, Answer answer) throws IOException, SQLException {
    return method.equals("GET") ? answer.get() : Reply.error(405, "use GET");
  }

  private Reply dockerHub(HttpExchange ex, String token) throws IOException, SQLException {
    byte[] body = body(ex);
    List<ServerConfig.Project> matching = new ArrayList<>();
    for (ServerConfig.Project project : config.projects().values()) {
      // Every project is compared, so the time taken does not tell how much of a token was right.
      if (Authenticator.sameSecret(project.secret(), token)) {
        matching.add(project);
      }
    }
    if (matching.isEmpty()) {
      auth.failed(client(ex));
      return Reply.error(401, "unknown hook token");
    }
    JsonNode json = parse(body);
    if (json == null) {
      return Reply.error(400, "malformed JSON");
    }
    String repo = json.path("repository").path("repo_name").asText("");
    String tag = json.path("push_data").path("tag").asText("");
    if (repo.isEmpty() || tag.isEmpty()) {
      return Reply.error(400, "a Docker Hub hook has repository.repo_name and push_data.tag");
    }
    Optional<ServerConfig.Project> project = matching.stream().filter(p -> p.acceptsRepository(repo)).findFirst();
    if (project.isEmpty()) {
      return Reply.error(422, "no project deploys repository " + repo + " with this token");
    }
    if (!project.get().acceptsTag(tag)) {
      return Reply.error(422, "tag " + tag + " does not match " + project.get().tags() + " of project " + project.get().name());
    }
    String callback = json.path("callback_url").asText(null);
    return enqueue(project.get(), "dockerhub", repo + ":" + tag, tag, "hook:dockerhub", callback, null, null);
  }

  private Reply generic(HttpExchange ex, String name) throws IOException, SQLException {
    ServerConfig.Project project = config.projects().get(name);
    if (project == null) {
      return Reply.json(404, Map.of("state", "no", "error", "no project " + name));
    }
    byte[] body = body(ex);
    if (!Authenticator.signed(project.secret(), body, ex.getRequestHeaders().getFirst("X-Signature-256"))) {
      auth.failed(client(ex));
      return Reply.error(401, "missing or wrong X-Signature-256 (sha256=<hex HMAC-SHA256 of the body>)");
    }
    JsonNode json = parse(body);
    if (json == null) {
      return Reply.error(400, "malformed JSON");
    }
    String image = json.path("image").asText("");
    String tag = json.path("tag").asText("");
    if (image.isEmpty() || tag.isEmpty()) {
      return Reply.error(400, "the body is {\"image\": \"repository\", \"tag\": \"tag\"}");
    }
    if (!project.acceptsRepository(image)) {
      return Reply.error(422, "project " + name + " does not deploy " + image);
    }
    if (!project.acceptsTag(tag)) {
      return Reply.error(422, "tag " + tag + " does not match " + project.tags() + " of project " + name);
    }
    return enqueue(project, "generic", image + ":" + tag, tag, "hook:generic", null, null, null);
  }

  private Reply upload(HttpExchange ex, Users.User user) throws IOException, SQLException {
    long length = contentLength(ex);
    if (length > config.maxUploadBytes()) {
      return Reply.error(413, "upload is larger than " + config.maxUploadBytes() + " bytes");
    }
    String boundary = Multipart.boundary(ex.getRequestHeaders().getFirst("Content-Type"));
    if (boundary == null) {
      return Reply.error(400, "upload is multipart/form-data with project, image and/or package");
    }
    String id = UUID.randomUUID().toString();
    Path dir = config.dataDir().resolve("uploads").resolve(id);
    Files.createDirectories(dir);
    String project = null;
    Path image = null;
    Path pkg = null;
    try (InputStream in = ex.getRequestBody()) {
      Multipart form = new Multipart(in, boundary, config.maxUploadBytes());
      for (Multipart.Part part = form.next(); part != null; part = form.next()) {
        switch (part.name()) {
          case "project" -> project = new String(part.body().readNBytes(256), StandardCharsets.UTF_8).trim();
          case "image" -> {
            image = dir.resolve("image.tar");
            Files.copy(part.body(), image);
          }
          case "package" -> {
            pkg = dir.resolve("package.tar.gz");
            Files.copy(part.body(), pkg);
          }
          default -> {
            return cleanup(dir, Reply.error(400, "unknown form field '" + part.name() + "' (project, image, package)"));
          }
        }
      }
    } catch (Multipart.TooLarge e) {
      return cleanup(dir, Reply.error(413, e.getMessage()));
    } catch (IOException e) {
      return cleanup(dir, Reply.error(400, "malformed upload: " + e.getMessage()));
    }
    ServerConfig.Project target = project == null ? null : config.projects().get(project);
    if (target == null) {
      return cleanup(dir, Reply.json(404, Map.of("state", "no", "error", "no project '" + project + "'")));
    }
    if (image == null && pkg == null) {
      return cleanup(dir, Reply.error(400, "an upload carries an image (docker save tar), a package (tar.gz), or both"));
    }
    String reference = target.name() + ":" + id.substring(0, 8);
    if (image != null) {
      Optional<String> tagged = UploadedImage.firstTag(image);
      if (tagged.isEmpty()) {
        return cleanup(dir, Reply.error(400, "the image is not a docker save tar with a tagged image"));
      }
      reference = tagged.get();
    }
    String tag = reference.substring(reference.lastIndexOf(':') + 1);
    return enqueue(target, "upload", reference, tag, user.name(), null,
        image == null ? null : image.toString(), pkg == null ? null : pkg.toString(), id);
  }

  private Reply enqueue(ServerConfig.Project project, String source, String image, String tag, String by,
      String callback, String imageFile, String packageFile) throws SQLException {
    return enqueue(project, source, image, tag, by, callback, imageFile, packageFile, UUID.randomUUID().toString());
  }

  private Reply enqueue(ServerConfig.Project project, String source, String image, String tag, String by,
      String callback, String imageFile, String packageFile, String id) throws SQLException {
    store.insert(new Deployment(id, project.name(), "await", null, null, source, image, tag, by, callback,
        imageFile, packageFile, null, null, null, null, Map.of()));
    queue.kick(project.name());
    return Reply.json(202, Map.of("deployment", id, "project", project.name(), "state", "await", "image", image,
        "status_url", config.apiRoot() + "/status/" + project.name() + "/" + id));
  }

  private static Reply cleanup(Path dir, Reply reply) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A leftover directory in uploads/ is harmless.
    }
    return reply;
  }

  private Reply status(String[] parts) throws SQLException {
    if (parts.length == 2) {
      return store.latest(parts[1]).map(d -> Reply.json(200, d.view()))
          .orElse(Reply.json(404, Map.of("state", "no", "project", parts[1])));
    }
    if (parts.length == 3) {
      return store.get(parts[2]).filter(d -> d.project().equals(parts[1])).map(d -> Reply.json(200, d.view()))
          .orElse(Reply.json(404, Map.of("state", "no", "project", parts[1], "deployment", parts[2])));
    }
    return Reply.error(404, "status is /status/{project} or /status/{project}/{deployment}");
  }

  private Reply logs(String[] parts) throws IOException, SQLException {
    if (parts.length != 3 || store.get(parts[2]).filter(d -> d.project().equals(parts[1])).isEmpty()) {
      return Reply.json(404, Map.of("state", "no"));
    }
    Path log = DeploymentRunner.logFile(config, parts[2]);
    return new Reply(200, Files.exists(log) ? Files.readString(log) : "");
  }

  private List<Object> projects() {
    List<Object> list = new ArrayList<>();
    config.projects().values().forEach(p -> list.add(Map.of(
        "name", p.name(), "hosts", p.hosts(), "repositories", p.repositories(), "tags", p.tags())));
    return list;
  }

  private Map<String, Object> info() throws SQLException {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("name", "deployer");
    info.put("version", version);
    info.put("uptime_s", (System.currentTimeMillis() - startedAt) / 1000);
    List<String> hosts;
    try {
      hosts = List.copyOf(InventoryLoader.load(config.inventory()).hosts().keySet());
    } catch (RuntimeException e) {
      hosts = List.of();
    }
    info.put("hosts", hosts);
    info.put("queue", store.queued());
    info.put("projects", config.projects().size());
    return info;
  }

  private byte[] body(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readNBytes(config.maxHookBytes() + 1);
      if (body.length > config.maxHookBytes()) {
        // Read (and drop) a moderately large rest, so the client sees the 413 rather than a reset.
        if (contentLength(ex) < 16L * 1024 * 1024) {
          in.transferTo(OutputStream.nullOutputStream());
        }
        throw new Multipart.TooLarge(config.maxHookBytes());
      }
      return body;
    }
  }

  private static long contentLength(HttpExchange ex) {
    try {
      String header = ex.getRequestHeaders().getFirst("Content-Length");
      return header == null ? -1 : Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String client(HttpExchange ex) {
    String forwarded = ex.getRequestHeaders().getFirst("X-Real-IP");
    // Behind nginx every request comes from 127.0.0.1; its X-Real-IP names the client.
    return forwarded != null && ex.getRemoteAddress().getAddress().isLoopbackAddress()
        ? forwarded : ex.getRemoteAddress().getAddress().getHostAddress();
  }

  private static void send(HttpExchange ex, Reply reply) throws IOException {
    byte[] bytes;
    if (reply.body() instanceof String text) {
      ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      bytes = text.getBytes(StandardCharsets.UTF_8);
    } else {
      ex.getResponseHeaders().set("Content-Type", "application/json");
      try {
        bytes = JSON.writeValueAsBytes(reply.body());
      } catch (JsonProcessingException e) {
        bytes = "{\"error\":\"cannot write the answer\"}".getBytes(StandardCharsets.UTF_8);
      }
    }
    if (reply.status() == 401) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"deployer\"");
    }
    // What the client sent and was not read is left to the exchange's close, which drains a little
    // or drops the connection. (The request stream's skip() would read past the body and block.)
    ex.sendResponseHeaders(reply.status(), bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
