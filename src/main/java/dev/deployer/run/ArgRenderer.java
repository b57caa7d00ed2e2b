package dev.deployer.run;

import dev.deployer.playbook.TaskSpec;
import dev.deployer.ssh.Command;
import dev.deployer.task.ArgKind;
import dev.deployer.task.Args;
import dev.deployer.template.TemplateException;
import dev.deployer.template.Templates;
import dev.deployer.template.Unsafe;
import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Location;
import dev.deployer.yaml.YamlNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a task's arguments for one host and checks them as the playbook loader checks literal
 * ones. Rendering happens on parsed values, never on YAML text, so a variable's value can never
 * add keys or change structure; a command line keeps its values apart from its text, for the SSH
 * layer to quote.
 */
final class ArgRenderer {
  private static final Pattern WHOLE_VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z_][\\w]*(?:\\.[\\w]+)*)\\s*}}");
  private final Templates templates;

  ArgRenderer(Templates templates) {
    this.templates = templates;
  }

  Args render(TaskSpec spec, Map<String, Object> vars) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, Location> locations = new HashMap<>();
    for (YamlNode.Entry entry : spec.args().entries().values()) {
      String where = spec.type().name() + "." + entry.key();
      boolean commandLine = spec.type().arguments().get(entry.key()).kind() == ArgKind.COMMAND
          && entry.value() instanceof YamlNode.Scalar scalar && scalar.value() instanceof String;
      values.put(entry.key(), commandLine
          ? commandLine((YamlNode.Scalar) entry.value(), vars, where)
          : render(entry.value(), vars, where));
      locations.put(entry.key(), entry.keyLocation());
    }
    return Args.check(spec.type(), values, locations, spec.location());
  }

  private Command.UserLine commandLine(YamlNode.Scalar node, Map<String, Object> vars, String where) {
    try {
      return new Command.UserLine(templates.pieces((String) node.value(), vars).stream()
          .map(piece -> new Command.UserLine.Piece(piece.text(), piece.value())).toList());
    } catch (TemplateException e) {
      throw new ConfigException(node.location(), e.getMessage() + " (in " + where + ")");
    }
  }

  /** Templates inside a variable's list or mapping are rendered too, as where they are used. */
  private Object renderValue(Object value, Map<String, Object> vars) {
    if (value instanceof Unsafe unsafe) {
      return unsafe.text();
    }
    if (value instanceof String text) {
      return templates.render(text, vars);
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

  private Object render(YamlNode node, Map<String, Object> vars, String where) {
    if (node instanceof YamlNode.Scalar scalar) {
      if (!(scalar.value() instanceof String text)) {
        return Unsafe.strip(scalar.value());
      }
      Matcher whole = WHOLE_VARIABLE.matcher(text);
      try {
        // "{{ports}}" alone passes the variable's own value, so a list or mapping stays one.
        if (whole.matches()) {
          return renderValue(templates.lookup(whole.group(1), vars), vars);
        }
        return templates.render(text, vars);
      } catch (TemplateException e) {
        throw new ConfigException(node.location(), e.getMessage() + " (in " + where + ")");
      }
    }
    if (node instanceof YamlNode.Sequence sequence) {
      List<Object> items = new ArrayList<>();
      for (YamlNode item : sequence.items()) {
        items.add(render(item, vars, where));
      }
      return items;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (YamlNode.Entry entry : ((YamlNode.Mapping) node).entries().values()) {
      map.put(entry.key(), render(entry.value(), vars, where + "." + entry.key()));
    }
    return map;
  }
}
