package dev.deployer.playbook;

import dev.deployer.task.Task;
import dev.deployer.task.TaskType;
import dev.deployer.yaml.Location;
import dev.deployer.yaml.YamlNode;
import java.util.List;

/**
 * One task as the playbook wrote it, before any host's variables are applied.
 *
 * @param args the task type's arguments, still templates
 * @param when conditions that must all hold for the task to run on a host
 * @param changedWhen null, a boolean, or a regex: changed when the task's stdout matches it
 * @param loop null, a list, or a "{{variable}}" holding a list: the task runs once per item
 * @param prepared the task made when the playbook loaded, when no argument is a template (it is
 *     the same on every host); null when it is made per host from rendered arguments
 */
public record TaskSpec(
    String name,
    TaskType type,
    YamlNode.Mapping args,
    List<String> tags,
    List<String> when,
    String register,
    boolean ignoreErrors,
    Object changedWhen,
    boolean noLog,
    YamlNode loop,
    Location location,
    Task prepared,
    Become become) {

  public TaskSpec {
    tags = List.copyOf(tags);
    when = List.copyOf(when);
    become = become == null ? Become.UNSET : become;
  }

  /** A task that says nothing of become. */
  public TaskSpec(String name, TaskType type, YamlNode.Mapping args, List<String> tags, List<String> when,
      String register, boolean ignoreErrors, Object changedWhen, boolean noLog, YamlNode loop, Location location,
      Task prepared) {
    this(name, type, args, tags, when, register, ignoreErrors, changedWhen, noLog, loop, location, prepared, Become.UNSET);
  }

  /** The name shown in the report: the task's own, or its type. */
  public String displayName() {
    return name != null ? name : type.name();
  }
}
