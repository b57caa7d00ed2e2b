package dev.deployer.unit;

import dev.deployer.yaml.Location;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One step of a unit command, the seed's order: an action on one of the unit's containers (or on
 * {@code host} for exec), its arguments, and the variants it belongs to (none: every variant).
 */
public record Order(String action, String container, Map<String, Object> args, List<String> variants, Location location) {
  /** The actions an order may take, each with the arguments it accepts. */
  static final Map<String, Set<String>> ACTIONS = Map.ofEntries(
      Map.entry("build", Set.of()),
      Map.entry("create", Set.of()),
      Map.entry("start", Set.of("restart", "timeout")),
      Map.entry("stop", Set.of("timeout")),
      Map.entry("restart", Set.of("timeout")),
      Map.entry("remove", Set.of("volumes", "timeout")),
      Map.entry("remove_image", Set.of()),
      Map.entry("backup", Set.of("path", "dest", "name", "fetch", "keep", "stop")),
      Map.entry("restore", Set.of("path", "src", "newest_in", "upload", "force")),
      Map.entry("exec", Set.of("run", "shell", "type", "binds", "env", "user", "workdir", "creates", "removes")),
      Map.entry("tag", Set.of("image")),
      Map.entry("commit", Set.of("image", "message", "changes")),
      Map.entry("push", Set.of("image")),
      Map.entry("check", Set.of()));

  public Order {
    args = Map.copyOf(args);
    variants = List.copyOf(variants);
  }

  static Order of(String action, String container) {
    return new Order(action, container, Map.of(), List.of(), null);
  }

  static Order of(String action, String container, Map<String, Object> args) {
    return new Order(action, container, args, List.of(), null);
  }

  /** True when a run for these variants (none chosen: all) includes this order. */
  boolean selectedBy(List<String> chosen) {
    return chosen.isEmpty() || variants.isEmpty() || variants.stream().anyMatch(chosen::contains);
  }
}
