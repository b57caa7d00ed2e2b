package dev.deployer.playbook;

import dev.deployer.yaml.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A set of tasks to run on the hosts a pattern selects.
 *
 * @param vars the play's vars with its vars_files merged over them, values still templates
 * @param serial rolling batches: a host count ("2") or a share ("30%"); null for all hosts at once
 * @param maxFailPercentage the share of a batch that may fail before the play stops (default 0)
 */
public record Play(
    String name,
    String hosts,
    Map<String, Object> vars,
    List<TaskSpec> tasks,
    String serial,
    int maxFailPercentage,
    Location location,
    Become become) {

  public Play {
    vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
    tasks = List.copyOf(tasks);
    become = become == null ? Become.UNSET : become;
  }

  /** A play that says nothing of become. */
  public Play(String name, String hosts, Map<String, Object> vars, List<TaskSpec> tasks, String serial,
      int maxFailPercentage, Location location) {
    this(name, hosts, vars, tasks, serial, maxFailPercentage, location, Become.UNSET);
  }

  public Play(String name, String hosts, Map<String, Object> vars, List<TaskSpec> tasks, Location location) {
    this(name, hosts, vars, tasks, null, 0, location);
  }

  /** The same play under another name: its name as rendered for the report. */
  public Play named(String shownName) {
    return new Play(shownName, hosts, vars, tasks, serial, maxFailPercentage, location, become);
  }

  /** The hosts split into the batches {@code serial} asks for, in order. */
  public <T> List<List<T>> batches(List<T> hosts) {
    if (serial == null || hosts.isEmpty()) {
      return hosts.isEmpty() ? List.of() : List.of(hosts);
    }
    int size = serial.endsWith("%")
        ? Math.max(1, (int) Math.floor(hosts.size() * Integer.parseInt(serial.substring(0, serial.length() - 1)) / 100.0))
        : Integer.parseInt(serial);
    List<List<T>> batches = new ArrayList<>();
    for (int from = 0; from < hosts.size(); from += size) {
      batches.add(hosts.subList(from, Math.min(hosts.size(), from + size)));
    }
    return batches;
  }
}
