package dev.deployer.playbook;

import dev.deployer.yaml.Location;
import java.util.List;
import java.util.Map;

/**
 * A set of tasks to run on the hosts a pattern selects.
 *
 * @param vars the play's vars with its vars_files merged over them, values still templates
 */
public record Play(String name, String hosts, Map<String, Object> vars, List<TaskSpec> tasks, Location location) {
  public Play {
    vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    tasks = List.copyOf(tasks);
  }
}
