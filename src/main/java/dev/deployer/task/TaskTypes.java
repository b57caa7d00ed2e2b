package dev.deployer.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The task types a playbook may use, by name. A new task type is one class with its {@code TYPE}
 * declaration, and one line in {@link #builtin()}: the loader, the shell and the help read it here.
 */
public final class TaskTypes {
  private static final TaskTypes BUILTIN = new TaskTypes(List.of(
      CommandTask.TYPE,
      SyncDirTask.TYPE,
      DockerBuildTask.TYPE,
      SwapContainerTask.TYPE,
      RollbackContainerTask.TYPE,
      RedeployContainerTask.TYPE,
      ServiceHistoryTask.TYPE,
      CheckHealthTask.TYPE,
      DockerImageTask.TYPE,
      DockerPruneTask.TYPE,
      EnsureDockerVersionTask.TYPE,
      EnsureProxyTask.TYPE,
      ContainerTask.TYPE,
      VolumeBackupTask.TYPE,
      VolumeRestoreTask.TYPE,
      ExecTask.TYPE,
      CheckTask.TYPE,
      FailTask.TYPE,
      PackageHooksTask.TYPE,
      RedeployRunningTask.TYPE,
      SwarmServiceTask.TYPE));

  private final Map<String, TaskType> types = new LinkedHashMap<>();

  public TaskTypes(List<TaskType> types) {
    types.forEach(type -> this.types.put(type.name(), type));
  }

  public static TaskTypes builtin() {
    return BUILTIN;
  }

  public Optional<TaskType> find(String name) {
    return Optional.ofNullable(types.get(name));
  }

  public Set<String> names() {
    return types.keySet();
  }

  /** Every type with its summary and arguments, one line each. */
  public List<String> help() {
    List<String> lines = new ArrayList<>();
    types.values().forEach(type -> lines.addAll(type.help()));
    return lines;
  }

  /** The help section {@code play --help} and the shell's {@code help run} end with. */
  public String helpSection() {
    String newline = System.lineSeparator();
    StringBuilder text = new StringBuilder(newline).append("Task types:").append(newline);
    help().forEach(line -> text.append("  ").append(line).append(newline));
    return text.toString();
  }
}
