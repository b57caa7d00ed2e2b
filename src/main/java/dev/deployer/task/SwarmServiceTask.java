package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.Docker;
import dev.deployer.docker.SwarmSpec;
import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Docker Swarm service, made or updated on a manager with {@code docker service create/update}
 * and waited for until the rollout converges. Swarm does the rolling: {@code update: {order:
 * start-first, failure_action: rollback, monitor}} starts each new task before its old one stops,
 * and a new version whose tasks fail within the monitor window is rolled back by Swarm itself;
 * the task then fails saying so. The report lists each running task and its node. With {@code
 * proxy:} its requests come through an edge proxy on every node ({@link SwarmEdge}) rather than
 * Swarm's routing mesh.
 */
public final class SwarmServiceTask implements Task {
  private static final String DURATION = "\\d+(ms|s|m|h)";
  private static final Set<String> HEALTH = Set.of("cmd", "interval", "timeout", "retries", "start_period");
  private static final Set<String> UPDATE = Set.of("parallelism", "delay", "order", "failure_action", "monitor");
  private static final Set<String> PROXY = Set.of("port", "app_port", "image");

  public static final TaskType TYPE = TaskType.named("swarm_service",
          "create or update a Docker Swarm service on a manager and wait for its rollout (Swarm rolls back a failed one)")
      .arg(Arg.string("name", "the service's name").required().matching(dev.deployer.docker.DockerNames.CONTAINER,
          dev.deployer.docker.DockerNames.CONTAINER_HELP))
      .arg(Arg.string("image", "the image its tasks run").required()
          .matching(dev.deployer.docker.DockerNames.IMAGE, dev.deployer.docker.DockerNames.IMAGE_HELP))
      .arg(Arg.of("replicas", ArgKind.INTEGER, "how many tasks (default 1)").atLeast(0))
      .arg(Arg.of("ports", ArgKind.STRING_LIST, "published:target, through Swarm's routing mesh"))
      .arg(Arg.of("proxy", ArgKind.STRING_MAP, "port, app_port, image: an edge proxy on every node instead of the routing mesh"
          + " (default image " + EnsureProxyTask.DEFAULT_IMAGE + ")")
          .inside((proxy, complain) -> checkKeys(proxy, PROXY, "proxy", complain)))
      .arg(Arg.of("env", ArgKind.STRING_MAP, "environment variables"))
      .arg(Arg.of("networks", ArgKind.STRING_LIST, "overlay networks to join"))
      .arg(Arg.of("health", ArgKind.STRING_MAP, "cmd, interval, timeout, retries, start_period (docker's --health-*)")
          .inside((health, complain) -> checkKeys(health, HEALTH, "health", complain)))
      .arg(Arg.of("update", ArgKind.STRING_MAP, "parallelism, delay, order (start-first|stop-first), failure_action"
          + " (rollback|pause|continue), monitor; rollbacks go the same way")
          .inside((update, complain) -> checkKeys(update, UPDATE, "update", complain)))
      .arg(Arg.of("timeout", ArgKind.INTEGER, "seconds to wait for the rollout (default 300)").atLeast(1))
      .create(SwarmServiceTask::new);

  private final String name;
  private final SwarmSpec spec;
  private final Duration timeout;

  SwarmServiceTask(Args args) {
    this.name = args.string("name");
    Map<String, String> update = args.stringMap("update");
    check(args, update, "order", "start-first|stop-first");
    check(args, update, "failure_action", "rollback|pause|continue");
    check(args, update, "delay", DURATION);
    check(args, update, "monitor", DURATION);
    check(args, update, "parallelism", "\\d+");
    this.spec = new SwarmSpec(args.string("image"), args.integer("replicas", 1), args.stringList("ports"),
        args.stringMap("env"), args.stringList("networks"), args.stringMap("health"), update, proxy(args));
    for (String port : spec.ports()) {
      if (!port.matches("\\d{1,5}:\\d{1,5}")) {
        throw args.error("ports", "'" + port + "' is not published:target");
      }
    }
    this.timeout = Duration.ofSeconds(args.integer("timeout", 300));
  }

  private static SwarmSpec.Proxy proxy(Args args) {
    if (!args.has("proxy")) {
      return null;
    }
    if (!args.stringList("ports").isEmpty()) {
      throw args.error("ports", "is not for a service behind the proxy: the proxy takes its requests on proxy.port"
          + " and passes them to app_port over the overlay network " + SwarmSpec.EDGE_NETWORK);
    }
    Map<String, String> proxy = args.stringMap("proxy");
    String image = proxy.getOrDefault("image", EnsureProxyTask.DEFAULT_IMAGE);
    if (!dev.deployer.docker.DockerNames.IMAGE.matcher(image).matches()) {
      throw args.error("proxy", "image '" + image + "': " + dev.deployer.docker.DockerNames.IMAGE_HELP);
    }
    return new SwarmSpec.Proxy(port(args, proxy, "port"), port(args, proxy, "app_port"), image);
  }

  private static int port(Args args, Map<String, String> proxy, String key) {
    String value = proxy.get(key);
    if (value == null) {
      throw args.error("proxy", "needs " + key);
    }
    if (!value.matches("\\d{1,5}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > 65535) {
      throw args.error("proxy", key + " must be a port (1-65535), not '" + value + "'");
    }
    return Integer.parseInt(value);
  }

  private static void checkKeys(Object value, Set<String> keys, String arg,
      java.util.function.Function<String, RuntimeException> complain) {
    if (value instanceof Map<?, ?> map) {
      for (Object key : map.keySet()) {
        if (!keys.contains(String.valueOf(key))) {
          throw complain.apply("unknown key '" + key + "' in " + arg + " (" + String.join(", ", new java.util.TreeSet<>(keys)) + ")"
              + dev.deployer.yaml.Suggestions.didYouMean(String.valueOf(key), keys));
        }
      }
    }
  }

  private static void check(Args args, Map<String, String> update, String key, String pattern) {
    String value = update.get(key);
    if (value != null && !value.matches(pattern)) {
      throw args.error("update", key + " must be " + pattern.replace("\\d+(ms|s|m|h)", "a duration like 5s") + ", not '" + value + "'");
    }
  }

  @Override
  public TaskResult run(TaskContext ctx) {
    Docker docker = ctx.docker();
    CommandResult inspected = SwarmServices.read(docker, name);
    JsonNode service = inspected.ok() ? Docker.parse(inspected.stdout()) : null;
    if (service == null && !inspected.stderr().toLowerCase(java.util.Locale.ROOT).contains("no such service")) {
      return TaskResult.failed("cannot read service " + name + " (is this host a Swarm manager?): " + inspected.errorSummary());
    }
    SwarmSpec recorded = service == null ? null
        : SwarmSpec.fromLabel(service.path("Spec").path("Labels").path(SwarmSpec.LABEL).asText(null));
    SwarmEdge edge = new SwarmEdge(docker, name, timeout);
    if (spec.proxy() != null && !ctx.check()) {
      edge.ensureNetwork();
    }
    TaskResult result = service == null ? create(ctx) : update(ctx, service, recorded);
    boolean edgeMayDiffer = spec.proxy() != null || recorded != null && recorded.proxy() != null;
    if (result.status() == Status.FAILED || !edgeMayDiffer) {
      return result;
    }
    TaskResult edgeResult = edge.ensure(spec.proxy(), ctx.check());
    if (edgeResult == null) {
      return result;
    }
    String message = result.message() + "\n" + edgeResult.message();
    return result.withStatus(edgeResult.status() == Status.FAILED ? Status.FAILED : Status.CHANGED).withMessage(message);
  }

  private TaskResult create(TaskContext ctx) {
    if (ctx.check()) {
      return TaskResult.changed("would create service " + name + ": " + spec.replicas() + " x " + spec.image());
    }
    return rollout(ctx.docker(), spec.createArgs(name), TaskResult.changed("created " + name));
  }

  private TaskResult update(TaskContext ctx, JsonNode service, SwarmSpec recorded) {
    String before = recorded != null ? recorded.image() : SwarmServices.image(service.path("Spec"));
    if (spec.equals(recorded)) {
      return TaskResult.ok(name + " runs " + spec.replicas() + " x " + spec.image() + tasks(ctx.docker()));
    }
    TaskResult plan = TaskResult.changed("update " + name);
    if (recorded != null) {
      for (var change : spec.diff(recorded).entrySet()) {
        plan = plan.withDiff(change.getKey(), change.getValue()[0], change.getValue()[1]);
      }
    } else {
      plan = plan.withDiff("image", before + " (made without deployer)", spec.image());
    }
    if (ctx.check()) {
      return plan.withMessage("would update service " + name + " (" + String.join(", ", plan.diff().keySet()) + ")");
    }
    String what = before.equals(spec.image()) ? " (" + String.join(", ", plan.diff().keySet()) + ")"
        : " from " + before + " to " + spec.image();
    return rollout(ctx.docker(), spec.updateArgs(name, recorded), plan.withMessage("updated " + name + what));
  }

  /**
   * Runs {@code docker service create/update} attached, as the docker CLI waits until Swarm says
   * the service converged (or rolled back), within the timeout; then reads how the update ended.
   */
  private TaskResult rollout(Docker docker, List<String> args, TaskResult done) {
    List<String> argv = new ArrayList<>(List.of("timeout", String.valueOf(timeout.toSeconds()), "docker"));
    argv.addAll(args);
    CommandResult result = docker.attempt(Command.of(argv));
    JsonNode status = Docker.parse(docker.run("docker service inspect", Command.of("docker", "service", "inspect",
        "--format", "{{json .UpdateStatus}}", name)));
    String state = status == null || status.isNull() ? "" : status.path("State").asText();
    if (state.startsWith("rollback")) {
      return done.withStatus(Status.FAILED).withMessage("the update of " + name + " to " + spec.image()
          + " failed and Swarm rolled it back (" + state + "): " + status.path("Message").asText() + tasks(docker));
    }
    if (!result.ok()) {
      String why = result.exitCode() == 124 ? "did not converge within " + timeout.toSeconds() + " s"
          : "failed: " + result.errorSummary();
      return done.withStatus(Status.FAILED).withMessage(name + " " + why + (state.isEmpty() ? "" : " (update " + state + ")")
          + tasks(docker));
    }
    return done.withData("update_state", state).withMessage(done.message() + tasks(docker));
  }

  private String tasks(Docker docker) {
    return SwarmServices.tasks(docker, name);
  }
}
