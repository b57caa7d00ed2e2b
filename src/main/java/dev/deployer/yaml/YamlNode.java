package dev.deployer.yaml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML value that remembers its file and line. Plain Jackson trees forget where a value
 * came from; deployer's errors must not.
 */
public sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {

  Location location();

  /** This node as plain Java values: maps, lists, strings, numbers, booleans, null. */
  Object toPlain();

  /** A short word for error messages: "a string", "a mapping", "a list". */
  String kind();

  /** A string, number, boolean or null. Floats keep their text, so version 1.10 stays "1.10". */
  record Scalar(Object value, Location location) implements YamlNode {
    @Override
    public Object toPlain() {
      return value;
    }

    @Override
    public String kind() {
      return value == null ? "empty" : value instanceof String ? "a string" : "a scalar";
    }
  }

  /** A key in a mapping with where the key was written. */
  record Entry(String key, Location keyLocation, YamlNode value) {}

  record Mapping(Map<String, Entry> entries, Location location) implements YamlNode {
    public Mapping {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    public YamlNode get(String key) {
      Entry entry = entries.get(key);
      return entry == null ? null : entry.value();
    }

    /** Where the key was written, or the mapping itself when the key is absent. */
    public Location locationOf(String key) {
      Entry entry = entries.get(key);
      return entry == null ? location : entry.keyLocation();
    }

    @Override
    public Object toPlain() {
      Map<String, Object> plain = new LinkedHashMap<>();
      entries.forEach((key, entry) -> plain.put(key, entry.value().toPlain()));
      return plain;
    }

    @Override
    public String kind() {
      return "a mapping";
    }
  }

  record Sequence(List<YamlNode> items, Location location) implements YamlNode {
    public Sequence {
      items = List.copyOf(items);
    }

    @Override
    public Object toPlain() {
      List<Object> plain = new ArrayList<>();
      items.forEach(item -> plain.add(item.toPlain()));
      return plain;
    }

    @Override
    public String kind() {
      return "a list";
    }
  }
}
