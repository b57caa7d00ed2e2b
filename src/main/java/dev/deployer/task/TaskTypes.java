package dev.deployer.task;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The task types a playbook may use, by name. */
public final class TaskTypes {
  private final Map<String, TaskType> types = new LinkedHashMap<>();

  public TaskTypes(List<TaskType> types) {
    types.forEach(type -> this.types.put(type.name(), type));
  }

  public static TaskTypes builtin() {
    return new TaskTypes(List.of(
        CommandTask.TYPE, SyncDirTask.TYPE, DockerBuildTask.TYPE, SwapContainerTask.TYPE,
        RollbackContainerTask.TYPE, RedeployContainerTask.TYPE, ServiceHistoryTask.TYPE, CheckHealthTask.TYPE,
        DockerImageTask.TYPE, DockerPruneTask.TYPE, EnsureDockerVersionTask.TYPE));
  }

  public Optional<TaskType> find(String name) {
    return Optional.ofNullable(types.get(name));
  }

  public java.util.Set<String> names() {
    return types.keySet();
  }
}
