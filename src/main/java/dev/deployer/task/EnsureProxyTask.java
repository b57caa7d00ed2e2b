package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.ContainerSpec;
import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.DockerNames;
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
 * {@code deployer}, which proxied services join, is made with it.
 */
public final class EnsureProxyTask implements Task {
  public static final String CONTAINER = "deployer-proxy";
  public static final String NETWORK = "deployer";
  /** Pinned, so an upgrade is a change someone makes, not something a deploy pulls in. */
  public static final String DEFAULT_IMAGE = "caddy:2.8.4";
  private static final String SPEC_LABEL = "deployer.proxy.spec";

  public static final TaskType TYPE = TaskType.named("ensure_proxy",
          "run the host's proxy container (Caddy) that proxied services are switched behind")
      .arg(Arg.string("image", "the proxy's image (default " + DEFAULT_IMAGE + "; the testbed sets {{proxy_image}})")
          .matching(DockerNames.IMAGE, DockerNames.IMAGE_HELP))
      .create(EnsureProxyTask::new);

  private final String image;
  private final ContainerSpec spec;

  EnsureProxyTask(Args args) {
    this.image = args.string("image", DEFAULT_IMAGE);
    this.spec = new ContainerSpec(CONTAINER, List.of(), Map.of(), null,
        List.of("deployer-proxy-config:/config", "deployer-proxy-data:/data"), "host",
        List.of("caddy", "run", "--resume"), "unless-stopped", Map.of("deployer.proxy", "true"), 10);
  }

  @Override
  public TaskResult run(TaskContext ctx) {
    Docker docker = ctx.docker();
    boolean networkMissing = !docker.attempt(DockerCommands.networkInspect(NETWORK)).ok();
    Docker.ImageAndContainer found = docker.imageAndContainer(image, CONTAINER);
    Optional<String> imageId = found.imageId();
    Optional<JsonNode> container = found.container();
    String current = container.map(c -> c.path("Image").asText()).orElse(null);
    boolean sameImage = imageId.isPresent() && imageId.get().equals(current);
    boolean sameSpec = container.map(c -> spec.hash().equals(c.path("Config").path("Labels").path(SPEC_LABEL).asText()))
        .orElse(false);
    boolean running = container.map(c -> c.path("State").path("Running").asBoolean()).orElse(false);
    if (!networkMissing && sameImage && sameSpec && running) {
      return TaskResult.ok(CONTAINER + " runs " + image);
    }
    String what = container.isEmpty() ? "start " + CONTAINER + " (" + image + ")"
        : !sameImage || !sameSpec ? "replace " + CONTAINER + " with " + image
        : !running ? "start the stopped " + CONTAINER : "make the network " + NETWORK;
    TaskResult plan = TaskResult.changed(what).withDiff("proxy", current == null ? "none" : current, image);
    if (ctx.check()) {
      return plan.withMessage("would " + what);
    }
    if (networkMissing) {
      docker.run("create the network " + NETWORK, DockerCommands.networkCreate(NETWORK));
    }
    if (imageId.isEmpty()) {
      docker.run("pull " + image, DockerCommands.pull(image));
    }
    if (container.isPresent() && (!sameImage || !sameSpec)) {
      docker.run("remove the old " + CONTAINER, DockerCommands.forceRemove(CONTAINER));
      container = Optional.empty();
    }
    if (container.isEmpty()) {
      docker.run("create " + CONTAINER, DockerCommands.create(CONTAINER, image, spec, Map.of(SPEC_LABEL, spec.hash())));
    }
    docker.run("start " + CONTAINER, DockerCommands.start(CONTAINER));
    return plan.withMessage(what.substring(0, 1).toUpperCase() + what.substring(1) + ": done");
  }
}
