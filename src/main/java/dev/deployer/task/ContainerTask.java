package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.ContainerSpec;
import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.DockerNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One container at a wanted state ({@code created}, {@code started}, {@code stopped},
 * {@code restarted}, {@code absent}), as Ansible's docker_container and the Docker Meta seed's
 * orders keep them: data containers, helpers, the parts of a unit. Idempotent by the configuration
 * it records in a label: another configuration or another image ID recreates it. Data is never lost
 * by accident: {@code absent} keeps a container that holds volumes unless {@code remove_volumes},
 * and a recreation that would leave its anonymous volumes behind is refused.
 */
public final class ContainerTask implements Task {
  static final String CONFIG_HASH = "deployer.container.config-hash";
  static final String CONFIG = "deployer.container.config";

  public static final TaskType TYPE = TaskType.named("container",
          "one container at a wanted state: created, started, stopped, restarted or absent")
      .arg(SwapContainerTask.serviceName())
      .arg(SwapContainerTask.image("its image (built on the host with build: when missing, else pulled)"))
      .arg(Arg.string("state", "created, started (default), stopped, restarted or absent")
          .choices("created", "started", "stopped", "restarted", "absent"))
      .args(SwapContainerTask.configurationArgs())
      .arg(Arg.of("volumes_from", ArgKind.STRING_LIST, "containers whose volumes it mounts (data containers)"))
      .arg(Arg.of("network_aliases", ArgKind.STRING_LIST, "its other names on that network"))
      .arg(Arg.of("extra_hosts", ArgKind.STRING_LIST, "NAME:ADDRESS lines for its /etc/hosts"))
      .arg(Arg.string("restart_policy", "docker's restart policy (default: no)")
          .matching(DockerNames.RESTART_POLICY, DockerNames.RESTART_POLICY_HELP))
      .arg(Arg.of("labels", ArgKind.STRING_MAP, "labels for the container"))
      .arg(Arg.of("build", ArgKind.MAPPING, "{context, dockerfile, build_args}: how to build the image on the host when it is missing")
          .inside(ContainerTask::checkBuild))
      .arg(Arg.of("stop_timeout", ArgKind.INTEGER, "seconds it gets to stop (default: 10)").atLeast(0))
      .arg(Arg.of("remove_volumes", ArgKind.BOOLEAN, "with state absent: delete its volumes too (default: false)"))
      .create(ContainerTask::new);

  private static final Set<String> BUILD_KEYS = Set.of("context", "dockerfile", "build_args");

  private final String image;
  private final String state;
  private final ContainerSpec spec;
  private final Map<String, Object> build;
  private final boolean removeVolumes;

  ContainerTask(Args args) {
    this.state = args.string("state", "started");
    this.image = args.string("image", null);
    if (image == null && !state.equals("absent") && !state.equals("stopped")) {
      throw args.error("image", "is required unless state is absent or stopped");
    }
    this.spec = SwapContainerTask.configuration(args, "no", null);
    if (!spec.networkAliases().isEmpty() && spec.network() == null) {
      throw args.error("network_aliases", "needs network: aliases are names on a network of your own");
    }
    this.build = args.map("build");
    this.removeVolumes = args.bool("remove_volumes", false);
  }

  static void checkBuild(Object raw, java.util.function.Function<String, RuntimeException> complain) {
    Map<?, ?> build = (Map<?, ?>) raw;
    for (Object key : build.keySet()) {
      if (!BUILD_KEYS.contains(key.toString())) {
        throw complain.apply("has an unknown key '" + key + "'" + dev.deployer.yaml.Suggestions.didYouMean(key.toString(), BUILD_KEYS));
      }
    }
    if (build.get("context") == null) {
      throw complain.apply("needs context: the directory on the host to build in");
    }
  }

  @Override
  public TaskResult run(TaskContext ctx) {
    Docker docker = ctx.docker();
    String name = spec.name();
    Optional<JsonNode> found = docker.inspectContainer(name);
    if (state.equals("absent")) {
      return found.isEmpty() ? TaskResult.ok(name + " is absent") : remove(ctx, found.get());
    }
    if (image == null) {
      return stopOnly(ctx, found);
    }
    Optional<String> imageId = docker.imageId(image);
    boolean running = found.map(c -> c.path("State").path("Running").asBoolean()).orElse(false);
    String recordedHash = found.map(c -> c.path("Config").path("Labels").path(CONFIG_HASH).asText("")).orElse("");
    boolean sameConfig = recordedHash.equals(spec.hash());
    boolean sameImage = imageId.isPresent() && found.map(c -> c.path("Image").asText().equals(imageId.get())).orElse(false);
    boolean create = found.isEmpty() || !sameConfig || !sameImage;
    boolean start = switch (state) {
      case "started" -> create ? true : !running;
      case "restarted" -> true;
      case "created" -> create && running;
      default -> false;
    };
    boolean stop = state.equals("stopped") && running && !create;
    if (!create && !start && !stop) {
      return TaskResult.ok(name + " is " + (running ? "running" : "stopped") + " (" + image + ")");
    }
    List<String> steps = new ArrayList<>();
    if (imageId.isEmpty()) {
      steps.add(build.isEmpty() ? "pull " + image : "build " + image);
    }
    if (found.isPresent() && create) {
      steps.add("recreate " + name + " (" + (sameConfig ? "its image changed" : "its configuration changed") + ")");
    } else if (create) {
      steps.add("create " + name);
    }
    if (start) {
      steps.add(state.equals("restarted") && running && !create ? "restart " + name : "start " + name);
    }
    if (stop) {
      steps.add("stop " + name);
    }
    TaskResult plan = TaskResult.changed(String.join(", ", steps))
        .withDiff("state", found.isEmpty() ? "absent" : running ? "running" : "stopped", state);
    if (found.isPresent() && !sameConfig) {
      ContainerSpec recorded = recorded(found.get());
      for (Map.Entry<String, Object[]> field : spec.differences(recorded).entrySet()) {
        plan = plan.withDiff(field.getKey(), field.getValue()[0], field.getValue()[1]);
      }
    }
    if (ctx.check()) {
      return plan.withMessage("would " + String.join(", ", steps));
    }
    if (found.isPresent() && create) {
      List<String> orphans = anonymousVolumes(docker, found.get());
      if (!orphans.isEmpty()) {
        return TaskResult.failed("recreating " + name + " would leave its anonymous volumes behind (" + String.join(", ", orphans)
            + ") and start it with empty ones: give them names in volumes: (name:/path), or remove it first with"
            + " state: absent and remove_volumes: true");
      }
    }
    if (imageId.isEmpty()) {
      if (build.isEmpty()) {
        docker.run("pull " + image, DockerCommands.pull(image));
      } else {
        // Built as docker_build builds, with its build hash: a later docker_build of the same context is a no-op.
        String dockerfile = build.get("dockerfile") == null ? "Dockerfile" : build.get("dockerfile").toString();
        TaskResult built = new DockerBuildTask(build.get("context").toString(), image, dockerfile, buildArgs()).run(ctx);
        if (built.status() == Status.FAILED) {
          return built;
        }
      }
    }
    if (create) {
      if (found.isPresent()) {
        docker.run("remove the old " + name, DockerCommands.forceRemove(name));
      }
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put(CONFIG_HASH, spec.hash());
      labels.put(CONFIG, spec.toJson().toString());
      docker.run("create " + name, DockerCommands.create(name, image, spec, labels));
    }
    if (stop) {
      docker.run("stop " + name, DockerCommands.stop(name, spec.stopTimeout()));
    } else if (start && state.equals("restarted") && running && !create) {
      docker.run("restart " + name, DockerCommands.restart(name, spec.stopTimeout()));
    } else if (start) {
      docker.run("start " + name, DockerCommands.start(name));
    }
    return plan.withMessage(capitalized(String.join(", ", steps)));
  }

  /** state: stopped without an image: stop the container if it runs, and never make one. */
  private TaskResult stopOnly(TaskContext ctx, Optional<JsonNode> found) {
    String name = spec.name();
    if (found.isEmpty() || !found.get().path("State").path("Running").asBoolean()) {
      return TaskResult.ok(name + (found.isEmpty() ? " is absent" : " is stopped"));
    }
    TaskResult plan = TaskResult.changed("stop " + name).withDiff("state", "running", "stopped");
    if (ctx.check()) {
      return plan.withMessage("would stop " + name);
    }
    ctx.docker().run("stop " + name, DockerCommands.stop(name, spec.stopTimeout()));
    return plan.withMessage("Stop " + name);
  }

  /** Removes the container, unless it holds volumes of its own and remove_volumes was not given. */
  private TaskResult remove(TaskContext ctx, JsonNode container) {
    Docker docker = ctx.docker();
    String name = spec.name();
    List<String> volumes = ownVolumes(docker, container);
    if (!volumes.isEmpty() && !removeVolumes) {
      return TaskResult.failed(name + " holds volumes (" + String.join(", ", volumes) + "): it is kept, so their data is not"
          + " lost by accident; remove_volumes: true deletes them with it");
    }
    TaskResult plan = TaskResult.changed("remove " + name + (volumes.isEmpty() ? "" : " and its volumes " + String.join(", ", volumes)))
        .withDiff("state", container.path("State").path("Running").asBoolean() ? "running" : "stopped", "absent");
    if (ctx.check()) {
      return plan.withMessage("would " + plan.message());
    }
    docker.run("stop " + name, DockerCommands.stop(name, spec.stopTimeout()));
    docker.run("remove " + name, DockerCommands.removeWithVolumes(name));
    List<String> kept = new ArrayList<>();
    for (String volume : volumes) {
      // Anonymous ones went with the container; named ones are removed here, unless another container uses them.
      var removed = docker.attempt(DockerCommands.volumeRemove(volume));
      if (!removed.ok() && !removed.stderr().contains("No such volume")) {
        kept.add(volume + " (" + removed.errorSummary() + ")");
      }
    }
    return plan.withMessage(capitalized(plan.message()) + (kept.isEmpty() ? "" : "; kept " + String.join(", ", kept)));
  }

  /** The volumes mounted in it that are its own: not bind mounts, not those of its volumes_from containers. */
  private static List<String> ownVolumes(Docker docker, JsonNode container) {
    Set<String> borrowed = new HashSet<>();
    for (JsonNode from : container.path("HostConfig").path("VolumesFrom")) {
      String source = from.asText().replaceAll(":(ro|rw)$", "");
      docker.inspectContainer(source).ifPresent(c -> c.path("Mounts").forEach(m -> borrowed.add(m.path("Name").asText())));
    }
    List<String> own = new ArrayList<>();
    for (JsonNode mount : container.path("Mounts")) {
      String volume = mount.path("Name").asText("");
      if (mount.path("Type").asText().equals("volume") && !borrowed.contains(volume)) {
        own.add(volume);
      }
    }
    return own;
  }

  /** Its own volumes that have no name of their own (Docker names them with 64 hex digits). */
  private static List<String> anonymousVolumes(Docker docker, JsonNode container) {
    return ownVolumes(docker, container).stream().filter(v -> v.matches("[0-9a-f]{64}")).toList();
  }

  private static ContainerSpec recorded(JsonNode container) {
    String json = container.path("Config").path("Labels").path(CONFIG).asText("");
    return json.isEmpty() ? null : ContainerSpec.fromJson(Docker.parse(json));
  }

  private Map<String, String> buildArgs() {
    Map<String, String> args = new LinkedHashMap<>();
    Object raw = build.get("build_args");
    if (raw instanceof Map<?, ?> map) {
      map.forEach((k, v) -> args.put(k.toString(), v == null ? "" : v.toString()));
    }
    return args;
  }

  private static String capitalized(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
