package dev.deployer.cli;

import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Location;
import dev.deployer.yaml.YamlLoader;
import dev.deployer.yaml.YamlNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code -e} values: {@code name=value} (the value is everything after the first =, spaces
 * included), {@code @file.yml} (a YAML mapping), or inline YAML/JSON such as {@code {"a": 1}}.
 * Later ones win.
 */
final class ExtraVars {
  private ExtraVars() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(List<String> values) {
    Map<String, Object> vars = new LinkedHashMap<>();
    for (String value : values) {
      if (value.startsWith("@")) {
        vars.putAll(mapping(YamlLoader.load(Path.of(value.substring(1))), value));
      } else if (value.trim().startsWith("{")) {
        vars.putAll(mapping(YamlLoader.parse(value, "-e"), value));
      } else {
        int eq = value.indexOf('=');
        if (eq <= 0) {
          throw new ConfigException(null, "-e '" + value + "': write name=value, @file.yml or {\"name\": value}");
        }
        String name = value.substring(0, eq).trim();
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          throw new ConfigException(null, "-e '" + value + "': '" + name + "' is not a valid variable name");
        }
        vars.put(name, value.substring(eq + 1));
      }
    }
    return vars;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapping(YamlNode node, String source) {
    if (node instanceof YamlNode.Scalar scalar && scalar.value() == null) {
      return Map.of();
    }
    if (!(node instanceof YamlNode.Mapping)) {
      throw new ConfigException(node.location() == null ? Location.of(source) : node.location(),
          "extra vars must be a mapping of names to values");
    }
    return (Map<String, Object>) node.toPlain();
  }
}
