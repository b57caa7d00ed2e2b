package dev.deployer.playbook;

import static dev.deployer.yaml.Nodes.bool;
import static dev.deployer.yaml.Nodes.checkKeys;
import static dev.deployer.yaml.Nodes.list;
import static dev.deployer.yaml.Nodes.mapping;
import static dev.deployer.yaml.Nodes.optionalString;
import static dev.deployer.yaml.Nodes.plainMap;
import static dev.deployer.yaml.Nodes.scalarString;
import static dev.deployer.yaml.Nodes.stringList;

import dev.deployer.task.Task;
import dev.deployer.task.TaskType;
import dev.deployer.task.TaskTypes;
import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Suggestions;
import dev.deployer.yaml.YamlLoader;
import dev.deployer.yaml.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a playbook and checks everything that can be checked before any host is touched: the
 * shape of plays and tasks, task types, and their arguments (see {@link TaskArguments}). Each
 * mistake is reported with its file and line, and a suggestion when a name is close to a known one.
 */
public final class PlaybookLoader {
  private static final Set<String> PLAY_KEYS = Set.of("name", "hosts", "vars", "vars_files", "tasks", "tags", "serial",
      "max_fail_percentage", "become", "become_user", "become_method");
  private static final Set<String> TASK_KEYS = Set.of("name", "tags", "when", "register", "ignore_errors", "changed_when",
      "no_log", "args", "loop", "become", "become_user", "become_method");

  private final TaskTypes types;

  public PlaybookLoader(TaskTypes types) {
    this.types = types;
  }

  /**
   * Checks a task's arguments as a playbook's are, for files that describe tasks in their own words
   * (units): errors name the place in that file.
   */
  public static void checkArguments(TaskType type, YamlNode.Mapping args, dev.deployer.yaml.Location where) {
    TaskArguments.check(type, args, where);
  }

  public Playbook load(Path file) {
    YamlNode root = YamlLoader.load(file);
    Path dir = file.toAbsolutePath().getParent();
    if (root instanceof YamlNode.Mapping mapping && mapping.get("services") != null) {
      throw new ConfigException(root.location(), "this is a services file (for deploy, build and the shell's deploy), not a playbook");
    }
    if (!(root instanceof YamlNode.Sequence plays)) {
      throw new ConfigException(root.location(), "a playbook is a list of plays (each starting with '- name:' or '- hosts:')");
    }
    List<Play> result = new ArrayList<>();
    for (YamlNode node : plays.items()) {
      result.add(play(node, dir));
    }
    return new Playbook(file, dir, result);
  }

  private Play play(YamlNode node, Path dir) {
    YamlNode.Mapping play = mapping(node, "a play");
    checkKeys(play, PLAY_KEYS, "play");
    String name = optionalString(play, "name");
    String hosts = optionalString(play, "hosts");
    if (hosts == null) {
      throw new ConfigException(play.location(), "play " + (name == null ? "" : "'" + name + "' ") + "has no 'hosts:'");
    }
    Map<String, Object> vars = new LinkedHashMap<>(plainMap(play.get("vars"), "vars"));
    YamlNode varsFiles = play.get("vars_files");
    for (YamlNode fileNode : list(varsFiles, "vars_files")) {
      String path = scalarString(fileNode, "vars_files entry");
      YamlNode loaded = YamlLoader.load(dir.resolve(path));
      if (loaded instanceof YamlNode.Scalar scalar && scalar.value() == null) {
        continue;
      }
      vars.putAll(plainMap(loaded, "vars file " + path));
    }
    List<String> playTags = stringList(play.get("tags"), "tags");
    List<TaskSpec> tasks = new ArrayList<>();
    for (YamlNode taskNode : list(play.get("tasks"), "tasks")) {
      tasks.add(task(taskNode, playTags));
    }
    return new Play(name == null ? hosts : name, hosts, vars, tasks, serial(play), maxFail(play), play.location(),
        become(play));
  }

  private static String serial(YamlNode.Mapping play) {
    String serial = optionalString(play, "serial");
    if (serial != null && !serial.trim().matches("[1-9][0-9]*%?") || serial != null && serial.endsWith("%")
        && Integer.parseInt(serial.substring(0, serial.length() - 1)) > 100) {
      throw new ConfigException(play.locationOf("serial"), "serial must be a host count (2) or a share of the hosts (30%), not '" + serial + "'");
    }
    return serial == null ? null : serial.trim();
  }

  private static int maxFail(YamlNode.Mapping play) {
    String text = optionalString(play, "max_fail_percentage");
    if (text == null) {
      return 0;
    }
    try {
      int value = Integer.parseInt(text.trim().replace("%", ""));
      if (value >= 0 && value <= 100) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(play.locationOf("max_fail_percentage"), "max_fail_percentage must be 0 to 100, not '" + text + "'");
  }

  private TaskSpec task(YamlNode node, List<String> playTags) {
    YamlNode.Mapping task = mapping(node, "a task");
    String typeKey = null;
    for (YamlNode.Entry entry : task.entries().values()) {
      if (TASK_KEYS.contains(entry.key())) {
        continue;
      }
      if (types.find(entry.key()).isEmpty()) {
        Set<String> known = new java.util.TreeSet<>(types.names());
        known.addAll(TASK_KEYS);
        throw new ConfigException(entry.keyLocation(),
            "unknown task type '" + entry.key() + "'" + Suggestions.didYouMean(entry.key(), known)
                + "; known types: " + String.join(", ", types.names()));
      }
      if (typeKey != null) {
        throw new ConfigException(entry.keyLocation(),
            "a task has one type, but this one has both '" + typeKey + "' and '" + entry.key() + "'");
      }
      typeKey = entry.key();
    }
    if (typeKey == null) {
      throw new ConfigException(task.location(), "task has no type; add one of: " + String.join(", ", types.names()));
    }
    TaskType type = types.find(typeKey).orElseThrow();
    YamlNode.Mapping args = arguments(type, task, typeKey);
    Task prepared = TaskArguments.check(type, args, task.locationOf(typeKey));

    List<String> tags = new ArrayList<>(playTags);
    tags.addAll(stringList(task.get("tags"), "tags"));
    List<String> when = stringList(task.get("when"), "when");
    return new TaskSpec(
        optionalString(task, "name"),
        type,
        args,
        tags,
        when,
        optionalString(task, "register"),
        bool(task, "ignore_errors"),
        changedWhen(task),
        bool(task, "no_log"),
        loop(task),
        task.locationOf(typeKey),
        prepared,
        become(task));
  }

  /** A play's or task's become keywords; sudo is the one method there is. */
  private static Become become(YamlNode.Mapping mapping) {
    String method = optionalString(mapping, "become_method");
    if (method != null && !method.equals("sudo")) {
      throw new ConfigException(mapping.locationOf("become_method"), "become_method '" + method + "' is not supported; deployer becomes with sudo");
    }
    Boolean enabled = mapping.get("become") == null ? null : bool(mapping, "become");
    return new Become(enabled, optionalString(mapping, "become_user"));
  }

  /** The task's arguments as one mapping: the free-form value and {@code args:} merged in. */
  private static YamlNode.Mapping arguments(TaskType type, YamlNode.Mapping task, String typeKey) {
    YamlNode value = task.get(typeKey);
    Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
    if (value instanceof YamlNode.Mapping mapping) {
      entries.putAll(mapping.entries());
    } else if (!(value instanceof YamlNode.Scalar s && s.value() == null)) {
      if (type.freeForm() == null) {
        throw new ConfigException(value.location(),
            typeKey + " takes named arguments (" + String.join(", ", type.arguments().keySet()) + "), not " + value.kind());
      }
      entries.put(type.freeForm(), new YamlNode.Entry(type.freeForm(), value.location(), value));
    }
    YamlNode extra = task.get("args");
    if (extra != null) {
      mapping(extra, "args").entries().forEach(entries::putIfAbsent);
    }
    return new YamlNode.Mapping(entries, value.location());
  }

  private static YamlNode loop(YamlNode.Mapping task) {
    YamlNode node = task.get("loop");
    if (node == null || node instanceof YamlNode.Sequence
        || node instanceof YamlNode.Scalar s && s.value() instanceof String text && text.trim().matches("\\{\\{\\s*[\\w.]+\\s*}}")) {
      return node;
    }
    throw new ConfigException(node.location(), "loop must be a list, or \"{{variable}}\" naming one");
  }

  private static Object changedWhen(YamlNode.Mapping task) {
    YamlNode node = task.get("changed_when");
    if (node == null) {
      return null;
    }
    if (node instanceof YamlNode.Scalar scalar && (scalar.value() instanceof Boolean || scalar.value() instanceof String)) {
      if (scalar.value() instanceof String regex) {
        try {
          java.util.regex.Pattern.compile(regex);
        } catch (java.util.regex.PatternSyntaxException e) {
          throw new ConfigException(node.location(), "changed_when is not a valid regular expression: " + e.getDescription());
        }
      }
      return scalar.value();
    }
    throw new ConfigException(node.location(), "changed_when must be true, false, or a regex matched against stdout");
  }
}
