package dev.deployer.task;

import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task's arguments after rendering for one host, with typed getters that fail with the
 * playbook's file and line when a value has the wrong shape.
 */
public final class Args {
  private final String taskType;
  private final Map<String, Object> values;
  private final Map<String, Location> locations;

  public Args(String taskType, Map<String, Object> values, Map<String, Location> locations) {
    this.taskType = taskType;
    this.values = new LinkedHashMap<>(values);
    this.locations = Map.copyOf(locations);
  }

  public boolean has(String name) {
    return values.get(name) != null;
  }

  public Object raw(String name) {
    return values.get(name);
  }

  public String string(String name) {
    Object value = values.get(name);
    if (value == null) {
      throw error(name, "is required");
    }
    if (value instanceof Map || value instanceof List) {
      throw error(name, "must be a single value, not a " + (value instanceof Map ? "mapping" : "list"));
    }
    return value.toString();
  }

  public String string(String name, String fallback) {
    return has(name) ? string(name) : fallback;
  }

  public boolean bool(String name, boolean fallback) {
    Object value = values.get(name);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    return switch (value.toString().trim().toLowerCase()) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw error(name, "must be true or false, not '" + value + "'");
    };
  }

  public int integer(String name, int fallback) {
    Object value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.toString().trim());
    } catch (NumberFormatException e) {
      throw error(name, "must be a whole number, not '" + value + "'");
    }
  }

  /** A list of strings; a single value counts as a list of one. */
  public List<String> stringList(String name) {
    Object value = values.get(name);
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map || item instanceof List) {
          throw error(name, "must be a list of plain values");
        }
        out.add(String.valueOf(item));
      }
      return out;
    }
    if (value instanceof Map) {
      throw error(name, "must be a list, not a mapping");
    }
    out.add(value.toString());
    return out;
  }

  /** A mapping of names to plain values, such as build_args or labels. */
  public Map<String, String> stringMap(String name) {
    Object value = values.get(name);
    Map<String, String> out = new LinkedHashMap<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw error(name, "must be a mapping of names to values");
    }
    map.forEach((k, v) -> {
      if (v instanceof Map || v instanceof List) {
        throw error(name, "value of '" + k + "' must be a plain value");
      }
      out.put(String.valueOf(k), v == null ? "" : v.toString());
    });
    return out;
  }

  /** A nested mapping as plain values; empty when absent. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> map(String name) {
    Object value = values.get(name);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?>)) {
      throw error(name, "must be a mapping");
    }
    return (Map<String, Object>) value;
  }

  public ConfigException error(String name, String problem) {
    return new ConfigException(locations.get(name), taskType + "." + name + " " + problem);
  }
}
