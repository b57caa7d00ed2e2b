package dev.deployer.playbook;

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
    Location location) {

  public TaskSpec {
    tags = List.copyOf(tags);
    when = List.copyOf(when);
  }

  /** The name shown in the report: the task's own, or its type and first argument. */
  public String displayName() {
    return name != null ? name : type.name();
  }
}
