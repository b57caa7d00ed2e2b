package dev.deployer.playbook;

import dev.deployer.task.Task;
import dev.deployer.task.TaskType;
import dev.deployer.task.TaskTypes;
import dev.deployer.yaml.Location;
import dev.deployer.yaml.YamlNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task made by deployer itself (for a command-line verb, the shell, or a server deployment), not
 * read from YAML; its arguments are checked as a playbook's are.
 */
public final class GeneratedTask {
  private GeneratedTask() {}

  /** Lists and mappings become nodes too, so templates inside them are rendered like a playbook's. */
  private static YamlNode node(Object value, Location where) {
    if (value instanceof List<?> list) {
      return new YamlNode.Sequence(list.stream().map(item -> node(item, where)).toList(), where);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
      map.forEach((k, v) -> entries.put(String.valueOf(k), new YamlNode.Entry(String.valueOf(k), where, node(v, where))));
      return new YamlNode.Mapping(entries, where);
    }
    return new YamlNode.Scalar(value, where);
  }

  /** @param args plain values; nulls are left out */
  public static TaskSpec of(String source, String name, String type, Map<String, Object> args) {
    Location where = Location.of(source);
    Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
    args.forEach((key, value) -> {
      if (value != null) {
        entries.put(key, new YamlNode.Entry(key, where, node(value, where)));
      }
    });
    TaskType taskType = TaskTypes.builtin().find(type).orElseThrow(() -> new IllegalStateException("no task type " + type));
    YamlNode.Mapping mapping = new YamlNode.Mapping(entries, where);
    Task prepared = TaskArguments.check(taskType, mapping, where);
    return new TaskSpec(name, taskType, mapping, List.of(), List.of(), null, false, null, false, null, where, prepared);
  }
}
