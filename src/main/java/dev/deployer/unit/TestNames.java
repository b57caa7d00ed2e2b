package dev.deployer.unit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names a unit's containers run under. A test runs under pseudonames (the seed's rule) so it
 * never touches the live containers: each container and named volume of the unit is prefixed
 * {@code test-UNIT-}, and {@code {{container_ip.NAME}}} in its strings points at the twin. Under
 * {@code --production}, or for any other command, names are as written.
 */
final class TestNames {
  private static final Pattern CONTAINER_IP = Pattern.compile("container_ip\\.([A-Za-z0-9_-]+)");

  private final String prefix;
  private final Map<String, UnitContainer> containers;

  private TestNames(String prefix, Map<String, UnitContainer> containers) {
    this.prefix = prefix;
    this.containers = containers;
  }

  static TestNames live(Unit unit) {
    return new TestNames(null, unit.containers());
  }

  static TestNames pseudo(Unit unit) {
    return new TestNames("test-" + unit.name() + "-", unit.containers());
  }

  boolean pseudo() {
    return prefix != null;
  }

  /** A container's name; names that are not the unit's (another container, host) stay. */
  String container(String name) {
    return prefix != null && containers.containsKey(name) ? prefix + name : name;
  }

  /** A volumes entry: a named volume's name is a pseudonym too; paths and bind mounts stay. */
  String volume(String entry) {
    String[] parts = entry.split(":", 2);
    if (prefix == null || parts.length == 1 || UnitContainer.isHostPath(parts[0])) {
      return entry;
    }
    return prefix + parts[0] + ":" + parts[1];
  }

  /** A volumes_from entry, with its :ro or :rw kept. */
  String volumesFrom(String entry) {
    String[] parts = entry.split(":", 2);
    return container(parts[0]) + (parts.length == 2 ? ":" + parts[1] : "");
  }

  /** Any value, with container_ip.NAME in its strings pointing at the twin. */
  Object strings(Object value) {
    if (prefix == null) {
      return value;
    }
    if (value instanceof String text) {
      Matcher matcher = CONTAINER_IP.matcher(text);
      StringBuilder out = new StringBuilder();
      while (matcher.find()) {
        matcher.appendReplacement(out, Matcher.quoteReplacement("container_ip." + container(matcher.group(1))));
      }
      matcher.appendTail(out);
      return out.toString();
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(item -> copy.add(strings(item)));
      return copy;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((key, item) -> copy.put(String.valueOf(key), strings(item)));
      return copy;
    }
    return value;
  }
}
