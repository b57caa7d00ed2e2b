package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.Release;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the releases of a service recorded on its live container: what, when, by whom. */
public final class ServiceHistoryTask implements Task {
  public static final TaskType TYPE = TaskType.named("service_history", "list the releases recorded on a service's container")
      .freeForm(SwapContainerTask.serviceName())
      .create(ServiceHistoryTask::new);

  private final String name;

  ServiceHistoryTask(Args args) {
    this.name = args.string("name");
  }

  @Override
  public TaskResult run(TaskContext context) {
    Optional<JsonNode> live = context.docker().inspectContainer(name);
    if (live.isEmpty()) {
      Optional<JsonNode> service = SwarmServices.inspect(context.docker(), name);
      if (service.isPresent()) {
        return SwarmServices.history(service.get());
      }
    }
    Release current = live.map(Release::current).orElse(null);
    if (current == null) {
      return TaskResult.ok("no " + name + " deployed by deployer on this host").withData("releases", List.of());
    }
    List<Release> releases = new ArrayList<>();
    releases.add(current);
    releases.addAll(Release.history(live.get()));
    boolean running = live.get().path("State").path("Running").asBoolean();
    StringBuilder text = new StringBuilder(name + ": " + releases.size() + " release(s), newest first");
    List<Map<String, String>> data = new ArrayList<>();
    for (int i = 0; i < releases.size(); i++) {
      Release r = releases.get(i);
      String marker = i == 0 ? (running ? "* live " : "* stopped ") : "  ";
      text.append("\n").append(marker).append(r.image()).append(" (").append(ContainerSwap.shortId(r.imageId()))
          .append(") deployed ").append(r.deployedAt()).append(" by ").append(r.deployedBy())
          .append(" (run ").append(r.runId()).append(")");
      data.add(Map.of("image", r.image(), "image_id", r.imageId(), "deployed_at", r.deployedAt(),
          "deployed_by", r.deployedBy(), "run_id", r.runId()));
    }
    return TaskResult.ok(text.toString()).withData("releases", data);
  }
}
