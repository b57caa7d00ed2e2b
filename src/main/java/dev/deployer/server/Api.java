package dev.deployer.server;

import dev.deployer.inventory.InventoryLoader;
import dev.deployer.server.http.Call;
import dev.deployer.server.http.Reply;
import dev.deployer.server.http.Route;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's route table, and the endpoints that read state. Who may call what is written here,
 * once, as each route's guard: anyone, any user, or ADMIN users; hooks and uploads bring their
 * own (see {@link Hooks}, {@link Uploads}). Every answer is JSON (logs are text).
 */
final class Api {
  private final ServerConfig config;
  private final DeploymentStore store;
  private final CallbackOutbox outbox;
  private final Authenticator auth;
  private final String version;
  private final long startedAt = System.currentTimeMillis();

  Api(ServerConfig config, DeploymentStore store, CallbackOutbox outbox, Authenticator auth, String version) {
    this.config = config;
    this.store = store;
    this.outbox = outbox;
    this.auth = auth;
    this.version = version;
  }

  List<Route> routes(Hooks hooks, Uploads uploads) throws IOException {
    Route.Guard anyUser = call -> login(call, false);
    Route.Guard admin = call -> login(call, true);
    List<Route> routes = new ArrayList<>();
    routes.add(get("/", Route.Guard.ANYONE, call -> Reply.json(200,
        Map.of("name", "deployer", "version", version, "message", "deployer serve is running"))));
    routes.add(get("/list", anyUser, call -> Reply.json(200, Map.of("projects", projects()))));
    routes.add(get("/info", anyUser, call -> Reply.json(200, info())));
    routes.add(get("/stat", anyUser, call -> Reply.json(200, Map.of("projects", store.stats()))));
    routes.add(get("/status/{project}", anyUser, this::latest));
    routes.add(get("/status/{project}/{deployment}", anyUser, this::status));
    routes.add(get("/logs/{project}/{deployment}", admin, this::logs));
    routes.add(get("/deployments", admin, call -> Reply.json(200,
        Map.of("deployments", store.recent(100).stream().map(Deployment::view).toList()))));
    routes.addAll(hooks.routes());
    routes.add(uploads.route());
    return routes;
  }

  /** The guard of user routes: a login, and ADMIN where {@code adminOnly}. */
  Reply login(Call call, boolean adminOnly) {
    Authenticator.Outcome outcome = auth.login(call.header("Authorization"), call.client());
    if (outcome instanceof Authenticator.Outcome.Admitted admitted) {
      call.admit(admitted.user().name());
      return adminOnly && admitted.user().role() != Users.Role.ADMIN ? Reply.error(403, "this is for ADMIN users") : null;
    }
    return outcome instanceof Authenticator.Outcome.Throttled
        ? Reply.error(429, "too many failed logins; wait a minute").with("Retry-After", "60")
        : Reply.error(401, "log in with HTTP Basic or a bearer token").with("WWW-Authenticate", "Basic realm=\"deployer\"");
  }

  private static Route get(String path, Route.Guard guard, Route.Endpoint endpoint) {
    return Route.of("GET", path, guard, Route.Body.NONE, endpoint);
  }

  /** The 202 answer to anything queued. */
  static Reply queued(ServerConfig config, Deployment d) {
    return queued(config, List.of(d));
  }

  /**
   * 202 with the first deployment's fields, as one project's answer always was; a push that
   * reached several projects also lists each under "deployments".
   */
  static Reply queued(ServerConfig config, List<Deployment> queued) {
    Map<String, Object> body = new LinkedHashMap<>(queuedView(config, queued.get(0)));
    if (queued.size() > 1) {
      body.put("deployments", queued.stream().map(d -> queuedView(config, d)).toList());
    }
    return Reply.json(202, body);
  }

  private static Map<String, Object> queuedView(ServerConfig config, Deployment d) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("deployment", d.id());
    body.put("project", d.project());
    body.put("state", d.state());
    body.put("image", d.image());
    body.put("status_url", config.apiRoot() + "/status/" + d.project() + "/" + d.id());
    return body;
  }

  private Reply latest(Call call) throws SQLException {
    String project = call.param("project");
    return store.latest(project).map(d -> Reply.json(200, d.view()))
        .orElse(Reply.json(404, Map.of("state", "no", "project", project)));
  }

  private Reply status(Call call) throws SQLException {
    String project = call.param("project");
    String id = call.param("deployment");
    return store.get(id).filter(d -> d.project().equals(project)).map(d -> Reply.json(200, d.view()))
        .orElse(Reply.json(404, Map.of("state", "no", "project", project, "deployment", id)));
  }

  private Reply logs(Call call) throws IOException, SQLException {
    String id = call.param("deployment");
    if (store.get(id).filter(d -> d.project().equals(call.param("project"))).isEmpty()) {
      return Reply.json(404, Map.of("state", "no"));
    }
    // Here if this replica ran it; else the copy its replica keeps in a shared database.
    Path log = DeploymentRunner.logFile(config, id);
    return Reply.text(200, Files.exists(log) ? Files.readString(log) : store.log(id).orElse(""));
  }

  private List<Object> projects() {
    List<Object> list = new ArrayList<>();
    config.projects().values().forEach(p -> list.add(Map.of(
        "name", p.name(), "hosts", p.hosts(), "repositories", p.repositories(), "tags", p.tags(),
        "hooks", hooks(p))));
    return list;
  }

  private static List<String> hooks(ServerConfig.Project project) {
    List<String> hooks = new ArrayList<>();
    if (project.hookToken() != null) {
      hooks.add("dockerhub");
    }
    if (project.signingSecret() != null) {
      hooks.add("generic");
    }
    return hooks;
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
    info.put("callbacks", outbox.counts());
    info.put("projects", config.projects().size());
    return info;
  }
}
