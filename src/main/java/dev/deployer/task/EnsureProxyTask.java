package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.ContainerSpec;
import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.DockerNames;
import dev.deployer.proxy.CaddyConfig;
import dev.deployer.proxy.HostProxy;
import dev.deployer.proxy.ListenerHandover;
import dev.deployer.ssh.Command;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the host's proxy, {@code deployer-proxy}: a Caddy container that proxied swaps will route
 * through, so a new version takes requests only once it is healthy. It runs on the host's network
 * (it binds whatever ports the routes ask for, without being re-created for each new one) and
 * starts from the configuration it saved last ({@code caddy run --resume}, kept in a volume), so a
 * restart or a reboot keeps the routes. Made idempotently: a container of another image or
 * another configuration is replaced (an upgrade), a stopped one is started. The Docker network
 * {@code deployer}, which proxied services join, is made with it. Its first configuration says
 * only where the admin API listens: a socket in its volume, used through {@code docker exec}.
 */
public final class EnsureProxyTask implements Task {
  public static final String CONTAINER = HostProxy.CONTAINER;
  public static final String NETWORK = HostProxy.NETWORK;
  /** Read by {@code caddy run --resume} only while the proxy has saved no configuration of its own. */
  private static final String INITIAL = "/config/deployer-initial.json";
  private static final String WRITE_INITIAL =
      "t=$(mktemp) && printf '%s' \"$1\" > \"$t\" && docker cp \"$t\" \"$2:$3\"; rc=$?; rm -f \"$t\"; exit $rc";
  /** Pinned, so an upgrade is a change someone makes, not something a deploy pulls in. */
  public static final String DEFAULT_IMAGE = "caddy:2.8.4";
  private static final String SPEC_LABEL = "deployer.proxy.spec";

  public static final TaskType TYPE = TaskType.named("ensure_proxy",
          "run the host's proxy container (Caddy) that proxied services are switched behind")
      .arg(Arg.string("image", "the proxy's image (default " + DEFAULT_IMAGE + "; the testbed sets {{proxy_image}})")
          .matching(DockerNames.IMAGE, DockerNames.IMAGE_HELP))
      .create(EnsureProxyTask::new);

  /**
   * Its admin API listens on a socket in its volume rather than on the host's loopback, where any
   * local user could change routes and where a Caddy of the host's own may already listen.
   */
  private static final ContainerSpec SPEC = new ContainerSpec(CONTAINER, List.of(), Map.of(), null,
      List.of("deployer-proxy-config:/config", "deployer-proxy-data:/data"), "host",
      List.of("caddy", "run", "--resume", "--config", INITIAL), "unless-stopped", Map.of("deployer.proxy", "true"), 10);

  private final String image;

  EnsureProxyTask(Args args) {
    this.image = args.string("image", DEFAULT_IMAGE);
  }

  @Override
  public TaskResult run(TaskContext ctx) {
    return ensure(ctx, image);
  }

  /** Makes the proxy run this image (the task, and a proxied swap on a host that has no proxy yet). */
  static TaskResult ensure(TaskContext ctx, String image) {
    Docker docker = ctx.docker();
    boolean networkMissing = !docker.attempt(DockerCommands.networkInspect(NETWORK)).ok();
    Docker.ImageAndContainer found = docker.imageAndContainer(image, CONTAINER);
    Optional<String> imageId = found.imageId();
    Optional<JsonNode> container = found.container();
    String current = container.map(c -> c.path("Image").asText()).orElse(null);
    boolean sameImage = imageId.isPresent() && imageId.get().equals(current);
    boolean sameSpec = container.map(c -> SPEC.hash().equals(c.path("Config").path("Labels").path(SPEC_LABEL).asText()))
        .orElse(false);
    boolean running = container.map(c -> c.path("State").path("Running").asBoolean()).orElse(false);
    ListenerHandover.State handover = ListenerHandover.read(ctx.remote());
    String oldKernel = handover == ListenerHandover.State.UNSUPPORTED
        ? " (this kernel, before Linux 5.14, cannot hand queued connections to a reloaded proxy: a route switch may reset a few)" : "";
    boolean proxyReady = !networkMissing && sameImage && sameSpec && running;
    if (proxyReady && handover != ListenerHandover.State.OFF) {
      return TaskResult.ok(CONTAINER + " runs " + image + oldKernel);
    }
    String what = proxyReady ? "turn on net.ipv4.tcp_migrate_req, so reloads reset no connection"
        : container.isEmpty() ? "start " + CONTAINER + " (" + image + ")"
        : !sameImage || !sameSpec ? "replace " + CONTAINER + " with " + image
        : !running ? "start the stopped " + CONTAINER : "make the network " + NETWORK;
    TaskResult plan = TaskResult.changed(what);
    if (!proxyReady) {
      plan = plan.withDiff("proxy", current == null ? "none" : current, image);
    }
    if (handover == ListenerHandover.State.OFF) {
      plan = plan.withDiff("net.ipv4.tcp_migrate_req", "0", "1");
    }
    if (ctx.check()) {
      return plan.withMessage("would " + what);
    }
    if (networkMissing) {
      createNetwork(docker);
    }
    if (imageId.isEmpty()) {
      docker.run("pull " + image, DockerCommands.pull(image));
    }
    if (container.isPresent() && (!sameImage || !sameSpec)) {
      docker.run("remove the old " + CONTAINER, DockerCommands.forceRemove(CONTAINER));
      container = Optional.empty();
    }
    if (container.isEmpty()) {
      docker.run("create " + CONTAINER, DockerCommands.create(CONTAINER, image, SPEC, Map.of(SPEC_LABEL, SPEC.hash())));
      docker.run("write the proxy's first configuration",
          Command.script(WRITE_INITIAL, CaddyConfig.initial(), CONTAINER, INITIAL));
    }
    if (handover == ListenerHandover.State.OFF) {
      ListenerHandover.turnOn(docker, image);
    }
    if (!proxyReady) {
      docker.run("start " + CONTAINER, DockerCommands.start(CONTAINER));
    }
    return plan.withMessage(what.substring(0, 1).toUpperCase() + what.substring(1) + ": done" + oldKernel);
  }

  /**
   * Makes the proxy's network with a subnet Docker picks, given back to it explicitly: only then
   * does Docker give containers the fixed addresses the routes lead to.
   */
  private static void createNetwork(Docker docker) {
    docker.run("create the network " + NETWORK, DockerCommands.networkCreate(NETWORK));
    String subnet = Docker.parse(docker.run("read the network " + NETWORK, DockerCommands.networkDocument(NETWORK)))
        .path("IPAM").path("Config").path(0).path("Subnet").asText("");
    docker.run("remove the network " + NETWORK, DockerCommands.networkRemove(NETWORK));
    docker.run("create the network " + NETWORK, DockerCommands.networkCreate(NETWORK, subnet));
  }
}
