package dev.deployer.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The task types a playbook may use, by name. A new task type is one class with its {@code TYPE}
 * declaration, and one line in {@link #NAMES} and in {@link #builtinType}: the loader, the shell
 * and the help read it here. A built-in type's class is loaded only when a playbook names it (all
 * of them at once cost a run's start a tenth of a second or more: patterns, declarations).
 */
public final class TaskTypes {
  private static final List<String> NAMES = List.of("command", "sync_dir", "docker_build", "swap_container",
      "rollback_container", "redeploy_container", "service_history", "check_health", "docker_image", "docker_prune",
      "ensure_docker_version", "ensure_proxy", "container", "volume_backup", "volume_restore", "exec", "check", "fail",
      "package_hooks", "redeploy_running", "swarm_service");
  private static final TaskTypes BUILTIN = new TaskTypes(NAMES, TaskTypes::builtinType);

  private final List<String> names;
  private final Function<String, TaskType> load;
  private final Map<String, TaskType> loaded = new ConcurrentHashMap<>();

  public TaskTypes(List<TaskType> types) {
    Map<String, TaskType> byName = new LinkedHashMap<>();
    types.forEach(type -> byName.put(type.name(), type));
    this.names = List.copyOf(byName.keySet());
    this.load = byName::get;
  }

  private TaskTypes(List<String> names, Function<String, TaskType> load) {
    this.names = names;
    this.load = load;
  }

  public static TaskTypes builtin() {
    return BUILTIN;
  }

  /** A switch, not a map of references: naming one type loads its class alone. */
  static TaskType builtinType(String name) {
    return switch (name) {
      case "command" -> CommandTask.TYPE;
      case "sync_dir" -> SyncDirTask.TYPE;
      case "docker_build" -> DockerBuildTask.TYPE;
      case "swap_container" -> SwapContainerTask.TYPE;
      case "rollback_container" -> RollbackContainerTask.TYPE;
      case "redeploy_container" -> RedeployContainerTask.TYPE;
      case "service_history" -> ServiceHistoryTask.TYPE;
      case "check_health" -> CheckHealthTask.TYPE;
      case "docker_image" -> DockerImageTask.TYPE;
      case "docker_prune" -> DockerPruneTask.TYPE;
      case "ensure_docker_version" -> EnsureDockerVersionTask.TYPE;
      case "ensure_proxy" -> EnsureProxyTask.TYPE;
      case "container" -> ContainerTask.TYPE;
      case "volume_backup" -> VolumeBackupTask.TYPE;
      case "volume_restore" -> VolumeRestoreTask.TYPE;
      case "exec" -> ExecTask.TYPE;
      case "check" -> CheckTask.TYPE;
      case "fail" -> FailTask.TYPE;
      case "package_hooks" -> PackageHooksTask.TYPE;
      case "redeploy_running" -> RedeployRunningTask.TYPE;
      case "swarm_service" -> SwarmServiceTask.TYPE;
      default -> throw new IllegalArgumentException("no built-in task type " + name);
    };
  }

  public Optional<TaskType> find(String name) {
    return names.contains(name) ? Optional.of(loaded.computeIfAbsent(name, load)) : Optional.empty();
  }

  /** Every name, in the order help lists them. */
  public Set<String> names() {
    return new LinkedHashSet<>(names);
  }

  /** Every type with its summary and arguments, one line each. */
  public List<String> help() {
    List<String> lines = new ArrayList<>();
    names.forEach(name -> lines.addAll(find(name).orElseThrow().help()));
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
