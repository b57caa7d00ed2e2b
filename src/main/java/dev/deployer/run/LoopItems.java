package dev.deployer.run;

import dev.deployer.template.Templates;
import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.YamlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The items of a task's {@code loop:} for one host, and how each is named in the report. */
final class LoopItems {
  private LoopItems() {}

  static List<Object> resolve(YamlNode loop, Map<String, Object> vars, Templates templates) {
    if (loop instanceof YamlNode.Sequence sequence) {
      List<Object> items = new ArrayList<>();
      for (YamlNode item : sequence.items()) {
        Object plain = item.toPlain();
        items.add(plain instanceof String text ? templates.render(text, vars) : plain);
      }
      return items;
    }
    String text = ((YamlNode.Scalar) loop).value().toString().trim();
    String name = text.substring(2, text.length() - 2).trim();
    Object value = templates.lookup(name, vars);
    if (value instanceof List<?> list) {
      return new ArrayList<>(list);
    }
    throw new ConfigException(loop.location(), "loop variable '" + name + "' holds " + describe(value) + ", not a list");
  }

  /** A map item with a name is shown by its name; anything else as it is. */
  static String label(Object item) {
    if (item instanceof Map<?, ?> map && map.get("name") != null) {
      return map.get("name").toString();
    }
    return String.valueOf(item);
  }

  private static String describe(Object value) {
    return value == null ? "nothing" : value instanceof Map ? "a mapping" : "'" + value + "'";
  }
}
