package dev.deployer.run;

import dev.deployer.playbook.TaskSpec;
import dev.deployer.task.ArgKind;
import dev.deployer.task.Args;
import dev.deployer.template.TemplateException;
import dev.deployer.template.Templates;
import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Location;
import dev.deployer.yaml.YamlNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a task's arguments for one host. Rendering happens on parsed values, never on YAML
 * text, so a variable's value can never add keys or change structure.
 */
final class ArgRenderer {
  private static final java.util.regex.Pattern WHOLE_VARIABLE =
      java.util.regex.Pattern.compile("\\{\\{\\s*([A-Za-z_][\\w]*(?:\\.[\\w]+)*)\\s*}}");
  private final Templates templates;

  ArgRenderer(Templates templates) {
    this.templates = templates;
  }

  Args render(TaskSpec spec, Map<String, Object> vars) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, Location> locations = new HashMap<>();
    for (YamlNode.Entry entry : spec.args().entries().values()) {
      ArgKind kind = spec.type().arguments().get(entry.key());
      Templates.Mode mode =
          kind == ArgKind.COMMAND && entry.value() instanceof YamlNode.Scalar ? Templates.Mode.SHELL : Templates.Mode.RAW;
      String where = spec.type().name() + "." + entry.key();
      values.put(entry.key(), render(entry.value(), vars, mode, where));
      locations.put(entry.key(), entry.keyLocation());
    }
    return new Args(spec.type().name(), values, locations);
  }

  /** Templates inside a variable's list or mapping are rendered too, as where they are used. */
  private Object renderValue(Object value, Map<String, Object> vars) {
    if (value instanceof String text) {
      return templates.render(text, vars, Templates.Mode.RAW);
    }
    if (value instanceof List<?> list) {
      List<Object> items = new ArrayList<>();
      list.forEach(item -> items.add(renderValue(item, vars)));
      return items;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), renderValue(v, vars)));
      return out;
    }
    return value;
  }

  private Object render(YamlNode node, Map<String, Object> vars, Templates.Mode mode, String where) {
    if (node instanceof YamlNode.Scalar scalar) {
      if (!(scalar.value() instanceof String text)) {
        return scalar.value();
      }
      java.util.regex.Matcher whole = WHOLE_VARIABLE.matcher(text);
      try {
        // "{{ports}}" alone passes the variable's own value, so a list or mapping stays one.
        if (mode == Templates.Mode.RAW && whole.matches()) {
          return renderValue(templates.lookup(whole.group(1), vars), vars);
        }
        return templates.render(text, vars, mode);
      } catch (TemplateException e) {
        throw new ConfigException(node.location(), e.getMessage() + " (in " + where + ")");
      }
    }
    if (node instanceof YamlNode.Sequence sequence) {
      List<Object> items = new ArrayList<>();
      for (YamlNode item : sequence.items()) {
        items.add(render(item, vars, mode, where));
      }
      return items;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (YamlNode.Entry entry : ((YamlNode.Mapping) node).entries().values()) {
      map.put(entry.key(), render(entry.value(), vars, mode, where + "." + entry.key()));
    }
    return map;
  }
}
