package dev.deployer.playbook;

import dev.deployer.task.Arg;
import dev.deployer.task.ArgKind;
import dev.deployer.task.Args;
import dev.deployer.task.Task;
import dev.deployer.task.TaskType;
import dev.deployer.template.Unsafe;
import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Location;
import dev.deployer.yaml.YamlNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Checks a task's arguments as written, before any host is touched: names, required ones, and
 * every literal value against its declaration; a templated value is checked for its shape now and
 * in full once rendered for a host. A task whose arguments are all literal is made right away, so
 * even the checks that involve several arguments happen when the playbook loads. Playbooks,
 * generated tasks and the shell all come through here.
 */
final class TaskArguments {
  private static final java.util.regex.Pattern WHOLE_VARIABLE = java.util.regex.Pattern.compile("\\{\\{\\s*[\\w.]+\\s*}}");

  private TaskArguments() {}

  /** @return the task, when no argument is a template (it is the same on every host); otherwise null */
  static Task check(TaskType type, YamlNode.Mapping args, Location taskLocation) {
    Map<String, Object> given = new LinkedHashMap<>();
    Map<String, Location> locations = new HashMap<>();
    Set<String> templated = new HashSet<>();
    for (YamlNode.Entry entry : args.entries().values()) {
      given.put(entry.key(), Unsafe.strip(entry.value().toPlain()));
      locations.put(entry.key(), entry.keyLocation());
      Arg arg = type.arguments().get(entry.key());
      if (arg != null && isTemplate(entry.value())) {
        templated.add(entry.key());
        checkShape(type.name(), entry, arg.kind());
      }
    }
    Args checked = Args.check(type, given, locations, taskLocation, templated);
    return templated.isEmpty() ? type.factory().apply(checked) : null;
  }

  /** True when any string in the value holds a {{template}}, so it differs from host to host. */
  static boolean isTemplate(YamlNode node) {
    if (node instanceof YamlNode.Scalar scalar) {
      return scalar.value() instanceof String text && text.contains("{{");
    }
    if (node instanceof YamlNode.Sequence sequence) {
      return sequence.items().stream().anyMatch(TaskArguments::isTemplate);
    }
    return ((YamlNode.Mapping) node).entries().values().stream().anyMatch(entry -> isTemplate(entry.value()));
  }

  /** What a templated value must already look like: a list where a list goes, and so on. */
  private static void checkShape(String typeName, YamlNode.Entry entry, ArgKind kind) {
    YamlNode value = entry.value();
    if (value instanceof YamlNode.Scalar s && s.value() instanceof String text && WHOLE_VARIABLE.matcher(text.trim()).matches()) {
      return; // "{{variable}}" passes the variable's own value; its shape is checked when rendered
    }
    boolean ok = switch (kind) {
      case STRING, BOOLEAN, INTEGER -> value instanceof YamlNode.Scalar;
      case COMMAND, STRING_LIST, WORDS -> !(value instanceof YamlNode.Mapping);
      case STRING_MAP, MAPPING -> value instanceof YamlNode.Mapping;
      case MAPPINGS -> !(value instanceof YamlNode.Scalar);
    };
    if (!ok) {
      throw new ConfigException(entry.keyLocation(), typeName + "." + entry.key() + " must be " + describe(kind)
          + ", not " + value.kind());
    }
  }

  private static String describe(ArgKind kind) {
    return switch (kind) {
      case STRING -> "a string";
      case BOOLEAN -> "true or false";
      case INTEGER -> "a number";
      case COMMAND -> "a command line or a list of arguments";
      case STRING_LIST, WORDS -> "a list";
      case STRING_MAP, MAPPING -> "a mapping";
      case MAPPINGS -> "a mapping or a list of mappings";
    };
  }
}
