package dev.deployer.task;

import dev.deployer.docker.ContainerSpec;
import dev.deployer.docker.DockerNames;
import dev.deployer.docker.ProxySettings;

/**
 * Runs a service's container from an image, health-gated: the live container is replaced only
 * by one that Docker (and the http probes) call healthy; otherwise the old one is restored.
 * {@code ok} when the live container already runs the same image ID with the same configuration.
 * With {@code proxy:} it runs behind the host's proxy and the swap is one nobody notices (see
 * {@link ProxiedSwap}).
 */
public final class SwapContainerTask implements Task {
  public static final TaskType TYPE = TaskType.named("swap_container",
          "run a service's container, health-gated, restoring the old one on failure")
      .arg(serviceName())
      .arg(image("the image to run").required())
      .args(configurationArgs())
      .arg(Arg.string("restart_policy", "docker's restart policy (default: unless-stopped)")
          .matching(DockerNames.RESTART_POLICY, DockerNames.RESTART_POLICY_HELP))
      .arg(Arg.of("labels", ArgKind.STRING_MAP, "labels for the container"))
      .arg(Arg.of("health", ArgKind.MAPPING, "timeout (30, 30s, 2m) and http probes {url, status, match}")
          .inside(HealthSettings::check))
      .arg(Arg.of("proxy", ArgKind.MAPPING, "behind the host's proxy: {port, app_port, host, health_path, drain_timeout, tls, email, image}")
          .inside(ProxySettings::check))
      .arg(keep())
      .arg(Arg.of("stop_timeout", ArgKind.INTEGER, "seconds the old container gets to stop (default: 10)").atLeast(0))
      .create(SwapContainerTask::new);

  private final String image;
  private final ContainerSpec spec;
  private final HealthSettings health;
  private final int keep;
  private final String proxyImage;

  SwapContainerTask(Args args) {
    this.image = args.string("image");
    ProxySettings proxy = args.has("proxy") ? ProxySettings.parse(args.map("proxy"), problem -> args.error("proxy", problem)) : null;
    if (proxy != null && !args.stringList("ports").isEmpty()) {
      throw args.error("ports", "is not for a service behind the proxy: the proxy takes its requests on proxy.port"
          + " and passes them to app_port over the Docker network");
    }
    Object image = args.has("proxy") ? args.map("proxy").get("image") : null;
    this.proxyImage = image == null ? null : image.toString();
    this.spec = configuration(args, "unless-stopped", proxy);
    this.health = HealthSettings.parse(args.map("health"), problem -> args.error("health", problem));
    this.keep = args.integer("keep", 3);
  }

  /** The service's name, which is its live container's name and its lock's directory name. */
  static Arg serviceName() {
    return Arg.string("name", "the service: its live container's name").required()
        .matching(DockerNames.CONTAINER, DockerNames.CONTAINER_HELP);
  }

  static Arg image(String help) {
    return Arg.string("image", help).matching(DockerNames.IMAGE, DockerNames.IMAGE_HELP);
  }

  /**
   * The container's configuration from the arguments swap_container and container share (and
   * container's own volumes_from, network_aliases and extra_hosts, empty where not declared).
   */
  static ContainerSpec configuration(Args args, String defaultRestartPolicy, ProxySettings proxy) {
    return new ContainerSpec(
        args.string("name"),
        args.stringList("ports"),
        args.stringMap("env"),
        args.string("env_file", null),
        args.stringList("volumes"),
        args.string("network", null),
        args.has("command") ? args.stringList("command") : null,
        args.string("restart_policy", defaultRestartPolicy),
        args.stringMap("labels"),
        args.integer("stop_timeout", 10),
        proxy,
        args.stringList("volumes_from"),
        args.stringList("network_aliases"),
        args.stringList("extra_hosts"));
  }

  /** How a container is made, beyond its name and image: what swap_container and container both take. */
  static java.util.List<Arg> configurationArgs() {
    return java.util.List.of(
        Arg.of("ports", ArgKind.STRING_LIST, "published ports, as docker run --publish takes them"),
        Arg.of("env", ArgKind.STRING_MAP, "environment variables (their values are never shown)"),
        Arg.string("env_file", "a file of environment variables on the host").absolutePath(),
        Arg.of("volumes", ArgKind.STRING_LIST, "volumes and bind mounts, as docker run --volume takes them"),
        Arg.string("network", "the network to join"),
        Arg.of("command", ArgKind.WORDS, "the command after the image: a list, or words split as a shell would"));
  }

  static Arg keep() {
    return Arg.of("keep", ArgKind.INTEGER, "earlier releases whose images are kept for rollback (default: 3)").atLeast(0);
  }

  @Override
  public TaskResult run(TaskContext context) {
    return new ContainerSwap(context, proxyImage).deploy(image, null, spec, health, keep);
  }
}
