package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.Release;
import java.util.List;
import java.util.Optional;

/**
 * Puts a service back on an earlier release recorded on the live container: the same image ID
 * with its whole configuration (ports, env, volumes, network, command, labels, health), through
 * the same health-gated swap as a deploy. A rollback that dropped a mount would be a new outage.
 */
public final class RollbackContainerTask implements Task {
  public static final TaskType TYPE = TaskType.named("rollback_container",
          "go back to an earlier release with its whole recorded configuration")
      .arg(SwapContainerTask.serviceName())
      .arg(Arg.string("to", "the release: an image reference or image ID prefix (default: the previous one)"))
      .arg(SwapContainerTask.keep())
      .create(RollbackContainerTask::new);

  private final String name;
  private final String to;
  private final int keep;

  RollbackContainerTask(Args args) {
    this.name = args.string("name");
    this.to = args.string("to", null);
    this.keep = args.integer("keep", 3);
  }

  @Override
  public TaskResult run(TaskContext context) {
    Optional<JsonNode> live = context.docker().inspectContainer(name);
    if (live.isEmpty()) {
      // No container of that name: on a Swarm manager it may be a service, which Swarm rolls back.
      Optional<JsonNode> service = SwarmServices.inspect(context.docker(), name);
      if (service.isPresent()) {
        return SwarmServices.rollback(context, service.get(), to);
      }
    }
    if (live.isEmpty() || Release.current(live.get()) == null) {
      return TaskResult.failed("no container " + name + " deployed by deployer on this host");
    }
    List<Release> history = Release.history(live.get());
    Optional<Release> target = to == null ? history.stream().findFirst() : history.stream().filter(this::matches).findFirst();
    if (target.isEmpty()) {
      String known = history.stream().map(Release::image).distinct().toList().toString();
      return TaskResult.failed(to == null
          ? "no earlier release of " + name + " is recorded on this host"
          : "no earlier release of " + name + " matches '" + to + "' (recorded: " + known + ")");
    }
    Release release = target.get();
    return new ContainerSwap(context)
        .deploy(release.image(), release.imageId(), release.config(), HealthSettings.fromJson(release.health()), keep);
  }

  private boolean matches(Release release) {
    String id = release.imageId().replaceFirst("^sha256:", "");
    return release.image().equals(to) || (to.length() >= 6 && id.startsWith(to.replaceFirst("^sha256:", "")));
  }
}
