package dev.deployer.cli;

import dev.deployer.playbook.Play;
import dev.deployer.playbook.Playbook;
import dev.deployer.playbook.TaskSpec;
import dev.deployer.task.TaskTypes;
import dev.deployer.yaml.Location;
import dev.deployer.yaml.YamlNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A one-task playbook made from a command line, for verbs such as rollback and history. */
final class GeneratedPlaybook {
  private GeneratedPlaybook() {}

  static Playbook of(String playName, String hosts, String taskName, String type, Map<String, Object> args) {
    Location where = Location.of("command line");
    Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
    args.forEach((key, value) -> {
      if (value != null) {
        entries.put(key, new YamlNode.Entry(key, where, new YamlNode.Scalar(value, where)));
      }
    });
    TaskSpec task = new TaskSpec(taskName, TaskTypes.builtin().find(type).orElseThrow(),
        new YamlNode.Mapping(entries, where), List.of(), List.of(), null, false, null, false, null, where);
    Play play = new Play(playName, hosts, Map.of(), List.of(task), where);
    Path cwd = Path.of("").toAbsolutePath();
    return new Playbook(cwd.resolve("command-line"), cwd, List.of(play));
  }
}
