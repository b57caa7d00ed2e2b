package dev.deployer.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.server.http.Call;
import dev.deployer.server.http.Reply;
import dev.deployer.server.http.Route;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The webhooks: Docker Hub's (its URL carries the project's hook_token) and the generic one
 * (signed the Standard Webhooks way with the project's signing_secret). A hook's body is read
 * only once its token or project is known, and what it names is checked against Docker's
 * grammar and the project before anything is queued.
 */
final class Hooks {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerConfig config;
  private final DeploymentStore store;
  private final DeployQueue queue;
  private final Clock clock;
  private final RateLimiter perClient = new RateLimiter(Duration.ofMinutes(1));

  Hooks(ServerConfig config, DeploymentStore store, DeployQueue queue, Clock clock) {
    this.config = config;
    this.store = store;
    this.queue = queue;
    this.clock = clock;
  }

  List<Route> routes() {
    Route.Body body = new Route.Body.Bytes(config.maxHookBytes());
    return List.of(
        Route.of("POST", "/hooks/dockerhub/{token}", this::knownToken, body, this::dockerHub),
        Route.of("POST", "/hooks/generic/{project}", this::knownProject, body, this::generic));
  }

  private Reply throttled(Call call) {
    return perClient.allow(call.client(), config.hookRatePerMinute()) ? null
        : Reply.error(429, "too many hook requests; slow down").with("Retry-After", "60");
  }

  private Reply knownToken(Call call) {
    Reply throttled = throttled(call);
    if (throttled != null) {
      return throttled;
    }
    return tokenProjects(call.param("token")).isEmpty() ? Reply.error(401, "unknown hook token") : null;
  }

  private Reply knownProject(Call call) {
    Reply throttled = throttled(call);
    if (throttled != null) {
      return throttled;
    }
    ServerConfig.Project project = config.projects().get(call.param("project"));
    if (project == null || project.signingSecret() == null) {
      return Reply.json(404, Map.of("state", "no", "error", "no project with a generic hook named " + IncomingImage.shown(call.param("project"))));
    }
    call.admit("hook:" + project.name());
    return null;
  }

  /** Every project is compared, so the time taken does not tell how much of a token was right. */
  private List<ServerConfig.Project> tokenProjects(String token) {
    List<ServerConfig.Project> matching = new ArrayList<>();
    byte[] given = token.getBytes(StandardCharsets.UTF_8);
    for (ServerConfig.Project project : config.projects().values()) {
      if (project.hookToken() != null && MessageDigest.isEqual(project.hookToken().getBytes(StandardCharsets.UTF_8), given)) {
        matching.add(project);
      }
    }
    return matching;
  }

  private Reply dockerHub(Call call) throws Exception {
    JsonNode json = parse(call.body());
    if (json == null) {
      return Reply.error(400, "the body is not a JSON object");
    }
    JsonNode repo = json.path("repository").path("repo_name");
    JsonNode tag = json.path("push_data").path("tag");
    if (!repo.isTextual() || !tag.isTextual()) {
      return Reply.error(400, "a Docker Hub hook has repository.repo_name and push_data.tag as strings");
    }
    JsonNode callback = json.path("callback_url");
    if (!callback.isMissingNode() && !callback.isNull() && !callback.isTextual()) {
      return Reply.error(400, "callback_url must be a string");
    }
    try {
      IncomingImage image = IncomingImage.of(repo.asText(), tag.asText());
      // One push may update several projects (staging and production): each gets a deployment in its own queue.
      List<ServerConfig.Project> projects = tokenProjects(call.param("token")).stream()
          .filter(p -> p.acceptsRepository(image.repository())).toList();
      if (projects.isEmpty()) {
        throw new Refusal(422, "no project deploys repository " + image.repository() + " with this token");
      }
      call.admit("hook:" + projects.get(0).name());
      List<ServerConfig.Project> accepting = new ArrayList<>();
      Refusal refused = null;
      for (ServerConfig.Project project : projects) {
        try {
          image.acceptedBy(project);
          accepting.add(project);
        } catch (Refusal refusal) {
          refused = refusal;
        }
      }
      if (accepting.isEmpty()) {
        throw refused;
      }
      // Docker Hub takes one answer to its callback: the first project's deployment gives it.
      List<Deployment> queued = new ArrayList<>();
      for (ServerConfig.Project project : accepting) {
        queued.add(queue(project, "dockerhub", image, "hook:dockerhub",
            queued.isEmpty() && callback.isTextual() ? callback.asText() : null));
      }
      return Api.queued(config, queued);
    } catch (Refusal refusal) {
      return Reply.error(refusal.status(), refusal.getMessage());
    }
  }

  private Reply generic(Call call) throws Exception {
    ServerConfig.Project project = config.projects().get(call.param("project"));
    try {
      String id = verify(project, call);
      JsonNode json = parse(call.body());
      if (json == null || !json.path("image").isTextual() || !json.path("tag").isTextual()) {
        return Reply.error(400, "the body is {\"image\": \"repository\", \"tag\": \"tag\"}");
      }
      IncomingImage image = IncomingImage.of(json.get("image").asText(), json.get("tag").asText());
      image.acceptedBy(project);
      if (id != null && !store.rememberHookId(project.name(), id, clock.instant())) {
        return Reply.error(409, "this webhook-id was delivered before; a replay is not run again");
      }
      return Api.queued(config, List.of(queue(project, "generic", image, "hook:generic", null)));
    } catch (Refusal refusal) {
      return Reply.error(refusal.status(), refusal.getMessage());
    }
  }

  /** The signed request's id (null for a legacy signature, which has none). */
  private String verify(ServerConfig.Project project, Call call) throws Refusal {
    if (project.legacySignature() && call.header("webhook-signature") == null) {
      if (HookSignature.legacy(project.signingSecret(), call.body(), call.header("X-Signature-256"))) {
        return null;
      }
      throw new Refusal(401, "missing or wrong X-Signature-256 (sha256=<hex HMAC-SHA256 of the body>)");
    }
    return HookSignature.verify(project.signingSecret(), call.header("webhook-id"), call.header("webhook-timestamp"),
        call.header("webhook-signature"), call.body(), clock.instant()).id();
  }

  private Deployment queue(ServerConfig.Project project, String source, IncomingImage image, String by, String callback)
      throws java.sql.SQLException {
    Deployment d = Deployment.queued(UUID.randomUUID().toString(), project.name(), source, image.reference(), image.tag(),
        by, callback, null, null);
    queue.submit(d);
    return d;
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }
}
