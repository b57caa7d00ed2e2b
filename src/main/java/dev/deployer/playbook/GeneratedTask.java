package dev.deployer.playbook;

import dev.deployer.task.TaskTypes;
import dev.deployer.yaml.Location;
import dev.deployer.yaml.YamlNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A task made by deployer itself (for a command-line verb or a server deployment), not read from YAML. */
public final class GeneratedTask {
  private GeneratedTask() {}

  /** @param args plain values; nulls are left out */
  public static TaskSpec of(String source, String name, String type, Map<String, Object> args) {
    Location where = Location.of(source);
    Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
    args.forEach((key, value) -> {
      if (value != null) {
        entries.put(key, new YamlNode.Entry(key, where, new YamlNode.Scalar(value, where)));
      }
    });
    return new TaskSpec(name, TaskTypes.builtin().find(type).orElseThrow(() -> new IllegalArgumentException(type)),
        new YamlNode.Mapping(entries, where), List.of(), List.of(), null, false, null, false, null, where);
  }
}
