package dev.deployer.task;

import dev.deployer.docker.ContainerSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a service's container from an image, health-gated: the live container is replaced only
 * by one that Docker (and the http probes) call healthy; otherwise the old one is restored.
 * {@code ok} when the live container already runs the same image ID with the same configuration.
 */
public final class SwapContainerTask implements Task {
  public static final TaskType TYPE = new TaskType(
      "swap_container",
      null,
      Map.ofEntries(
          Map.entry("name", ArgKind.STRING),
          Map.entry("image", ArgKind.STRING),
          Map.entry("ports", ArgKind.STRING_LIST),
          Map.entry("env", ArgKind.STRING_MAP),
          Map.entry("env_file", ArgKind.STRING),
          Map.entry("volumes", ArgKind.STRING_LIST),
          Map.entry("network", ArgKind.STRING),
          Map.entry("command", ArgKind.STRING_LIST),
          Map.entry("restart_policy", ArgKind.STRING),
          Map.entry("labels", ArgKind.STRING_MAP),
          Map.entry("health", ArgKind.MAPPING),
          Map.entry("keep", ArgKind.INTEGER),
          Map.entry("stop_timeout", ArgKind.INTEGER)),
      Set.of("name", "image"),
      SwapContainerTask::new);

  private final String image;
  private final ContainerSpec spec;
  private final HealthSettings health;
  private final int keep;

  SwapContainerTask(Args args) {
    String name = serviceName(args, "name");
    this.image = args.string("image");
    Object command = args.raw("command");
    List<String> argv = command == null ? null
        : command instanceof List<?> ? args.stringList("command") : List.of("sh", "-c", args.string("command"));
    this.spec = new ContainerSpec(
        name,
        args.stringList("ports"),
        args.stringMap("env"),
        args.string("env_file", null),
        args.stringList("volumes"),
        args.string("network", null),
        argv,
        args.string("restart_policy", "unless-stopped"),
        args.stringMap("labels"),
        args.integer("stop_timeout", 10));
    this.health = HealthSettings.parse(args.map("health"), problem -> args.error("health", problem));
    this.keep = args.integer("keep", 3);
    if (keep < 0) {
      throw args.error("keep", "must be 0 or more");
    }
  }

  /** A Docker container name, which is also the lock's directory name: nothing else gets in. */
  static String serviceName(Args args, String arg) {
    String name = args.string(arg);
    if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
      throw args.error(arg, "'" + name + "' is not a valid container name (letters, digits, _ . -)");
    }
    return name;
  }

  @Override
  public TaskResult run(TaskContext context) {
    return new ContainerSwap(context).deploy(image, null, spec, health, keep);
  }
}
