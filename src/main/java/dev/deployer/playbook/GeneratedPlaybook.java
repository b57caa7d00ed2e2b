package dev.deployer.playbook;

import dev.deployer.yaml.Location;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A one-task playbook made from a command line, for verbs such as rollback and history. */
public final class GeneratedPlaybook {
  private GeneratedPlaybook() {}

  public static Playbook of(String playName, String hosts, String taskName, String type, Map<String, Object> args) {
    Play play = new Play(playName, hosts, Map.of(), List.of(GeneratedTask.of("command line", taskName, type, args)),
        Location.of("command line"));
    Path cwd = Path.of("").toAbsolutePath();
    return new Playbook(cwd.resolve("command-line"), cwd, List.of(play));
  }

  /** {@code rollback SERVICE [--to IMAGE]}, from the command line or the shell. */
  public static Playbook rollback(String hosts, String service, String to) {
    Map<String, Object> args = new java.util.LinkedHashMap<>();
    args.put("name", service);
    args.put("to", to);
    return of("Roll back " + service, hosts, "Roll back " + service + (to == null ? "" : " to " + to),
        "rollback_container", args);
  }

  /** {@code history SERVICE}, from the command line or the shell. */
  public static Playbook history(String hosts, String service) {
    return of("History of " + service, hosts, "History of " + service, "service_history", Map.of("name", service));
  }
}
