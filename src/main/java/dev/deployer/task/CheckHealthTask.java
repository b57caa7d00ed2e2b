package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.Docker;
import dev.deployer.docker.HealthGate;
import dev.deployer.docker.HealthWait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Lists the containers on the host with their state and health, restarts the unhealthy ones when
 * asked (then waits for them as Docker's HEALTHCHECK needs), runs http probes, and fails when
 * anything stays unhealthy.
 */
public final class CheckHealthTask implements Task {
  public static final TaskType TYPE = new TaskType(
      "check_health",
      "containers",
      Map.of(
          "containers", ArgKind.STRING_LIST,
          "restart_unhealthy", ArgKind.BOOLEAN,
          "http", ArgKind.MAPPINGS,
          "wait", ArgKind.INTEGER,
          "stop_timeout", ArgKind.INTEGER),
      Set.of(),
      CheckHealthTask::new);

  private final List<String> names;
  private final boolean restart;
  private final HealthSettings probes;
  private final int waitSeconds;
  private final int stopTimeout;

  CheckHealthTask(Args args) {
    List<String> given = args.stringList("containers");
    this.names = given.isEmpty() || given.equals(List.of("all")) ? List.of() : given;
    this.restart = args.bool("restart_unhealthy", false);
    Map<String, Object> http = new LinkedHashMap<>();
    if (args.has("http")) {
      http.put("http", args.raw("http"));
    }
    this.probes = HealthSettings.parse(http, problem -> args.error("http", problem));
    this.waitSeconds = args.integer("wait", 0);
    this.stopTimeout = args.integer("stop_timeout", 10);
  }

  /** One container as docker ps shows it. */
  private record Seen(String name, String state, String health) {
    boolean unhealthy(boolean named) {
      return health.equals("unhealthy") || (named && !state.equals("running"));
    }

    String describe() {
      return name + ": " + state + (health.isEmpty() ? "" : ", " + health);
    }
  }

  @Override
  public TaskResult run(TaskContext context) {
    Docker docker = new Docker(context.remote());
    Map<String, Seen> seen = new LinkedHashMap<>();
    for (String line : docker.run("docker ps", "docker", "ps", "-a", "--format", "{{.Names}}|{{.State}}|{{.Status}}").lines().toList()) {
      String[] parts = line.split("\\|", 3);
      if (parts.length == 3) {
        seen.put(parts[0], new Seen(parts[0], parts[1], health(parts[2])));
      }
    }
    List<String> missing = names.stream().filter(name -> !seen.containsKey(name)).toList();
    List<Seen> watched = names.isEmpty() ? List.copyOf(seen.values()) : names.stream().filter(seen::containsKey).map(seen::get).toList();
    List<Seen> bad = watched.stream().filter(s -> s.unhealthy(!names.isEmpty())).toList();
    StringBuilder listing = new StringBuilder();
    watched.forEach(s -> listing.append("\n").append(s.describe()));
    missing.forEach(name -> listing.append("\n").append(name).append(": no such container"));
    TaskResult base = TaskResult.ok(watched.size() + " container(s)" + listing)
        .withData("containers", watched.stream().map(s -> Map.of("name", s.name(), "state", s.state(), "health", s.health())).toList());

    if (!missing.isEmpty()) {
      return base.withStatus(Status.FAILED).withMessage("missing: " + String.join(", ", missing) + listing);
    }
    if (!bad.isEmpty() && !restart) {
      return base.withStatus(Status.FAILED).withMessage("unhealthy: " + names(bad) + listing);
    }
    if (!bad.isEmpty() && context.check()) {
      return base.withStatus(Status.CHANGED).withMessage("would restart " + names(bad) + listing);
    }
    List<String> stillBad = new ArrayList<>();
    for (Seen s : bad) {
      docker.run("restarting " + s.name(), "docker", "restart", "--time", Integer.toString(stopTimeout), s.name());
      JsonNode inspected = docker.inspectContainer(s.name()).orElseThrow();
      HealthWait wait = HealthWait.of(inspected.path("Config").get("Healthcheck"),
          waitSeconds > 0 ? Duration.ofSeconds(waitSeconds) : null);
      HealthGate.Outcome outcome = new HealthGate(context.remote()).await(s.name(), wait, List.of());
      if (!outcome.healthy()) {
        stillBad.add(s.name() + " (" + outcome.detail() + ")");
      }
    }
    for (var probe : probes.probes()) {
      Optional<String> failure = probe.failure(context.remote());
      failure.ifPresent(stillBad::add);
    }
    if (!stillBad.isEmpty()) {
      return base.withStatus(Status.FAILED).withMessage("still unhealthy: " + String.join("; ", stillBad) + listing);
    }
    if (!bad.isEmpty()) {
      return base.withStatus(Status.CHANGED).withMessage("restarted " + names(bad) + ", healthy again" + listing);
    }
    return base;
  }

  private static String names(List<Seen> containers) {
    return String.join(", ", containers.stream().map(Seen::name).toList());
  }

  /** "Up 3 minutes (unhealthy)" -> "unhealthy"; "(health: starting)" -> "starting"; none -> "". */
  static String health(String status) {
    if (status.contains("(unhealthy)")) {
      return "unhealthy";
    }
    if (status.contains("(healthy)")) {
      return "healthy";
    }
    if (status.contains("(health: starting)")) {
      return "starting";
    }
    return "";
  }
}
