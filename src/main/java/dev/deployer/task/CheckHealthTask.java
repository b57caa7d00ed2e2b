package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.ContainerState;
import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.HealthGate;
import dev.deployer.docker.HealthWait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists the containers on the host with their state and health, restarts those with a problem
 * when asked (then waits for them as Docker's HEALTHCHECK needs, or, without one, for them to stay
 * up), runs http probes, and fails when any problem stays. A problem is what Docker calls
 * unhealthy, and also what has no HEALTHCHECK to say so: a container that exited with an error or
 * that Docker keeps restarting.
 */
public final class CheckHealthTask implements Task {
  public static final TaskType TYPE = TaskType.named("check_health",
          "list containers with their health; restart failed ones (unhealthy, exited with an error, restarting) when asked")
      .freeForm(Arg.of("containers", ArgKind.STRING_LIST, "the containers to check (default: all)"))
      .arg(Arg.of("restart_unhealthy", ArgKind.BOOLEAN, "restart unhealthy containers and wait for them"))
      .arg(Arg.of("http", ArgKind.MAPPINGS, "http probes {url, status, match} run from the host")
          .inside((http, complain) -> HealthSettings.check(Map.of("http", http), complain)))
      .arg(Arg.of("wait", ArgKind.INTEGER, "seconds to wait for a restarted container (default: from its HEALTHCHECK)")
          .atLeast(0))
      .arg(Arg.of("stop_timeout", ArgKind.INTEGER, "seconds a container gets to stop on restart (default: 10)").atLeast(0))
      .create(CheckHealthTask::new);

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

  /**
   * A watched container is bad when Docker calls it unhealthy, when it exited with an error or is
   * being restarted, or, when named, when it is not running at all.
   */
  private boolean bad(ContainerState state) {
    return state.unhealthy() || state.failed() || state.restarting() || (!names.isEmpty() && !state.running());
  }

  @Override
  public TaskResult run(TaskContext context) {
    Docker docker = context.docker();
    Map<String, ContainerState> seen = new LinkedHashMap<>();
    // Named containers are read with one docker process (a missing one is simply not in the answer).
    docker.states(names.isEmpty() ? docker.containerNames() : names).forEach(state -> seen.put(state.name(), state));
    List<String> missing = names.stream().filter(name -> !seen.containsKey(name)).toList();
    List<ContainerState> watched = names.isEmpty() ? List.copyOf(seen.values())
        : names.stream().filter(seen::containsKey).map(seen::get).toList();
    List<ContainerState> bad = watched.stream().filter(this::bad).toList();
    StringBuilder listing = new StringBuilder();
    watched.forEach(s -> listing.append("\n").append(s.name()).append(": ").append(s.describe()));
    missing.forEach(name -> listing.append("\n").append(name).append(": no such container"));
    TaskResult base = TaskResult.ok(watched.size() + " container(s)" + listing)
        .withData("containers", watched.stream().map(s -> Map.of("name", s.name(), "state", s.status(), "health", s.health())).toList());

    if (!missing.isEmpty()) {
      return base.withStatus(Status.FAILED).withMessage("missing: " + String.join(", ", missing) + listing);
    }
    if (!bad.isEmpty() && !restart) {
      return base.withStatus(Status.FAILED).withMessage("failing: " + names(bad) + listing);
    }
    if (!bad.isEmpty() && context.check()) {
      return base.withStatus(Status.CHANGED).withMessage("would restart " + names(bad) + listing);
    }
    List<String> stillBad = new ArrayList<>();
    for (ContainerState s : bad) {
      docker.run("restarting " + s.name(), DockerCommands.restart(s.name(), stopTimeout));
      JsonNode inspected = docker.inspectContainer(s.name()).orElseThrow();
      HealthWait wait = HealthWait.of(inspected.path("Config").get("Healthcheck"),
          waitSeconds > 0 ? Duration.ofSeconds(waitSeconds) : null);
      HealthGate.Outcome outcome = context.healthGate().await(s.name(), wait, List.of());
      if (!outcome.healthy()) {
        stillBad.add(s.name() + " (" + outcome.detail() + ")");
      }
    }
    for (var probe : probes.probes()) {
      probe.failure(context.remote()).ifPresent(stillBad::add);
    }
    if (!stillBad.isEmpty()) {
      return base.withStatus(Status.FAILED).withMessage("still failing: " + String.join("; ", stillBad) + listing);
    }
    if (!bad.isEmpty()) {
      return base.withStatus(Status.CHANGED).withMessage("restarted " + names(bad) + ", healthy again" + listing);
    }
    return base;
  }

  private static String names(List<ContainerState> containers) {
    return String.join(", ", containers.stream().map(ContainerState::name).toList());
  }
}
