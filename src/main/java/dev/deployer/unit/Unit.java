package dev.deployer.unit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A unit file: a group of containers that work together (data containers and the services on
 * their volumes) and the commands written for them; the rest of the seed's commands are generated
 * from the containers (see {@link UnitCommands}).
 *
 * @param hosts the host pattern its commands run on
 * @param varsFiles the seed's environment files, as absolute paths
 * @param commands the commands written in the file, by name
 */
public record Unit(String name, Path file, String description, String hosts, Map<String, Object> vars,
    List<Path> varsFiles, List<Param> params, Map<String, UnitContainer> containers, Map<String, List<Order>> commands) {

  public Unit {
    vars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    varsFiles = List.copyOf(varsFiles);
    params = List.copyOf(params);
    containers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(containers));
    commands = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(commands));
  }

  /** The containers with each one after those it takes volumes from, otherwise as written. */
  List<UnitContainer> ordered() {
    List<UnitContainer> result = new ArrayList<>();
    Set<String> placed = new HashSet<>();
    for (UnitContainer container : containers.values()) {
      place(container, placed, new LinkedHashSet<>(), result);
    }
    return result;
  }

  private void place(UnitContainer container, Set<String> placed, Set<String> visiting, List<UnitContainer> result) {
    if (placed.contains(container.name()) || !visiting.add(container.name())) {
      return; // a cycle is left in written order; docker will say what is wrong with it
    }
    for (String source : container.volumesFrom()) {
      UnitContainer from = containers.get(source.replaceAll(":(ro|rw)$", ""));
      if (from != null) {
        place(from, placed, visiting, result);
      }
    }
    placed.add(container.name());
    result.add(container);
  }

  /** Every variant its commands' orders name, sorted. */
  public Set<String> variants(String command) {
    Set<String> all = new java.util.TreeSet<>();
    commands.getOrDefault(command, List.of()).forEach(order -> all.addAll(order.variants()));
    return all;
  }
}
