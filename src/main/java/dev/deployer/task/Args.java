package dev.deployer.task;

import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Location;
import dev.deployer.yaml.Suggestions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A task's arguments, checked against its type's declarations: every name is known, every
 * required one is there, and every value has its kind and allowed values. The getters only read.
 */
public final class Args {
  private final TaskType type;
  private final Map<String, Object> values;
  private final Map<String, Location> locations;
  private final Location taskLocation;

  private Args(TaskType type, Map<String, Object> values, Map<String, Location> locations, Location taskLocation) {
    this.type = type;
    this.values = values;
    this.locations = Map.copyOf(locations);
    this.taskLocation = taskLocation;
  }

  /**
   * Checks arguments the way the task will read them; the first problem is an error naming its file
   * and line (the argument's, or the task's for one that is missing).
   *
   * @param unrendered names given as templates, not yet rendered: present, but their values are
   *     checked only once rendered for a host
   */
  public static Args check(TaskType type, Map<String, Object> given, Map<String, Location> locations,
      Location taskLocation, Set<String> unrendered) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : given.entrySet()) {
      String name = entry.getKey();
      Arg arg = type.arguments().get(name);
      Location where = locations.getOrDefault(name, taskLocation);
      if (arg == null) {
        throw new ConfigException(where, "unknown argument '" + name + "' for " + type.name()
            + Suggestions.didYouMean(name, type.arguments().keySet())
            + "; it takes: " + String.join(", ", type.arguments().keySet()));
      }
      if (!unrendered.contains(name)) {
        values.put(name, arg.check(type.name(), entry.getValue(), where));
      }
    }
    for (String required : type.required()) {
      if (given.get(required) == null) {
        throw new ConfigException(taskLocation, type.name() + " needs '" + required + "'");
      }
    }
    return new Args(type, values, locations, taskLocation);
  }

  /** Checks rendered arguments, every value included. */
  public static Args check(TaskType type, Map<String, Object> given, Map<String, Location> locations,
      Location taskLocation) {
    return check(type, given, locations, taskLocation, Set.of());
  }

  public boolean has(String name) {
    return values.get(name) != null;
  }

  public Object raw(String name) {
    return values.get(name);
  }

  /** A string argument the declarations require (or that the task requires given the others). */
  public String string(String name) {
    Object value = values.get(name);
    if (value == null) {
      throw error(name, "is required");
    }
    return value.toString();
  }

  public String string(String name, String fallback) {
    return has(name) ? string(name) : fallback;
  }

  public boolean bool(String name, boolean fallback) {
    return has(name) ? (Boolean) values.get(name) : fallback;
  }

  public int integer(String name, int fallback) {
    return has(name) ? (Integer) values.get(name) : fallback;
  }

  /** A list of strings; a single value counts as a list of one; absent is empty. */
  @SuppressWarnings("unchecked")
  public List<String> stringList(String name) {
    return has(name) ? (List<String>) values.get(name) : List.of();
  }

  /** A mapping of names to plain values, such as build_args or labels; absent is empty. */
  @SuppressWarnings("unchecked")
  public Map<String, String> stringMap(String name) {
    return has(name) ? (Map<String, String>) values.get(name) : Map.of();
  }

  /** A nested mapping as plain values; absent is empty. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> map(String name) {
    return has(name) ? (Map<String, Object>) values.get(name) : Map.of();
  }

  /** An error about one argument, at its place in the playbook (the task's, when it was not given). */
  public ConfigException error(String name, String problem) {
    return new ConfigException(locations.getOrDefault(name, taskLocation), type.name() + "." + name + " " + problem);
  }
}
