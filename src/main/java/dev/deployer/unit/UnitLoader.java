package dev.deployer.unit;

import static dev.deployer.yaml.Nodes.checkKeys;
import static dev.deployer.yaml.Nodes.list;
import static dev.deployer.yaml.Nodes.mapping;
import static dev.deployer.yaml.Nodes.optionalString;
import static dev.deployer.yaml.Nodes.plainMap;
import static dev.deployer.yaml.Nodes.scalarString;
import static dev.deployer.yaml.Nodes.stringList;

import dev.deployer.docker.DockerNames;
import dev.deployer.playbook.PlaybookLoader;
import dev.deployer.task.CheckTask;
import dev.deployer.task.ContainerTask;
import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Location;
import dev.deployer.yaml.Suggestions;
import dev.deployer.yaml.YamlLoader;
import dev.deployer.yaml.YamlNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads unit files ({@code units/NAME.yml}) and checks all of them before anything runs: every
 * container's keys as the {@code container} task checks them, every check as {@code check} does,
 * every order's action, container and arguments; each mistake named by file and line.
 */
public final class UnitLoader {
  private static final Set<String> UNIT_KEYS = Set.of("description", "hosts", "vars", "vars_files", "params", "containers",
      "commands");
  private static final Set<String> OWN_KEYS = Set.of("data", "daemon", "job");
  private static final Set<String> SET_BY_COMMANDS = Set.of("name", "state", "remove_volumes");
  private static final Set<String> PARAM_KEYS = Set.of("name", "choices", "default", "help");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");
  private static final Pattern PARAM_NAME = Pattern.compile("[a-z][a-z0-9_]*");

  private UnitLoader() {}

  /** Every unit in a directory, by name. */
  public static Map<String, Unit> loadAll(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ConfigException(Location.of(dir.toString()), "no units directory (give one with --units DIR)");
    }
    Map<String, Unit> units = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList()) {
        Unit unit = load(file);
        if (units.put(unit.name(), unit) != null) {
          throw new ConfigException(Location.of(file.toString()), "a second file for unit " + unit.name());
        }
      }
    } catch (IOException e) {
      throw new ConfigException(Location.of(dir.toString()), "cannot list units: " + e.getMessage());
    }
    return units;
  }

  public static Unit load(Path file) {
    String name = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    YamlNode root = YamlLoader.load(file);
    if (!NAME.matcher(name).matches()) {
      throw new ConfigException(root.location(), "a unit's file name is its name: lowercase letters, digits, '-' and '_'");
    }
    YamlNode.Mapping unit = mapping(root, "a unit (containers and commands)");
    checkKeys(unit, UNIT_KEYS, "unit");
    YamlNode containersNode = unit.get("containers");
    if (containersNode == null) {
      throw new ConfigException(unit.location(), "unit " + name + " has no containers:");
    }
    Map<String, UnitContainer> containers = new LinkedHashMap<>();
    for (YamlNode.Entry entry : mapping(containersNode, "containers").entries().values()) {
      containers.put(entry.key(), container(entry, file, name));
    }
    Map<String, List<Order>> commands = new LinkedHashMap<>();
    YamlNode commandsNode = unit.get("commands");
    if (commandsNode != null) {
      for (YamlNode.Entry entry : mapping(commandsNode, "commands").entries().values()) {
        if (!NAME.matcher(entry.key()).matches()) {
          throw new ConfigException(entry.keyLocation(), "command '" + entry.key() + "': lowercase letters, digits, '-' and '_'");
        }
        List<Order> orders = new ArrayList<>();
        for (YamlNode order : list(entry.value(), "command " + entry.key())) {
          orders.add(order(order, containers));
        }
        commands.put(entry.key(), orders);
      }
    }
    List<Path> varsFiles = new ArrayList<>();
    for (String varsFile : stringList(unit.get("vars_files"), "vars_files")) {
      Path path = file.toAbsolutePath().getParent().resolve(varsFile);
      if (!Files.isReadable(path)) {
        throw new ConfigException(unit.locationOf("vars_files"), "vars file " + path + " is not there");
      }
      varsFiles.add(path);
    }
    String hosts = optionalString(unit, "hosts");
    return new Unit(name, file, optionalString(unit, "description"), hosts == null ? "all" : hosts,
        plainMap(unit.get("vars"), "vars"), varsFiles, params(unit.get("params")), containers, commands);
  }

  private static UnitContainer container(YamlNode.Entry entry, Path file, String unitName) {
    String name = entry.key();
    if (!DockerNames.CONTAINER.matcher(name).matches() || name.equals("host")) {
      throw new ConfigException(entry.keyLocation(), "container '" + name + "': " + DockerNames.CONTAINER_HELP
          + (name.equals("host") ? " ('host' is the host itself in orders)" : ""));
    }
    YamlNode.Mapping node = mapping(entry.value(), "container " + name);
    Map<String, YamlNode.Entry> config = new LinkedHashMap<>();
    config.put("name", new YamlNode.Entry("name", entry.keyLocation(), new YamlNode.Scalar(name, entry.keyLocation())));
    for (YamlNode.Entry key : node.entries().values()) {
      if (SET_BY_COMMANDS.contains(key.key())) {
        throw new ConfigException(key.keyLocation(), key.key() + " is set by the unit's commands, not in the container");
      }
      if (!OWN_KEYS.contains(key.key())) {
        if (!ContainerTask.TYPE.arguments().containsKey(key.key())) {
          Set<String> known = new java.util.TreeSet<>(ContainerTask.TYPE.arguments().keySet());
          known.removeAll(SET_BY_COMMANDS);
          known.addAll(OWN_KEYS);
          throw new ConfigException(key.keyLocation(), "unknown container key '" + key.key() + "'" + Suggestions.didYouMean(key.key(), known));
        }
        config.put(key.key(), key);
      }
    }
    java.nio.file.Path buildSrc = null;
    if (config.get("build") != null && config.get("build").value() instanceof YamlNode.Mapping build && build.get("src") != null) {
      buildSrc = file.toAbsolutePath().getParent().resolve(scalarString(build.get("src"), "build.src")).normalize();
      if (!Files.isDirectory(buildSrc)) {
        throw new ConfigException(build.locationOf("src"), "build.src " + buildSrc + " is not a directory");
      }
      Map<String, YamlNode.Entry> rest = new LinkedHashMap<>(build.entries());
      rest.remove("src");
      rest.putIfAbsent("context", new YamlNode.Entry("context", build.location(),
          new YamlNode.Scalar("/var/lib/deployer/units/" + unitName + "/" + name, build.location())));
      config.put("build", new YamlNode.Entry("build", config.get("build").keyLocation(), new YamlNode.Mapping(rest, build.location())));
    }
    if (!config.containsKey("image")) {
      throw new ConfigException(entry.keyLocation(), "container " + name + " has no image (with build: the image it is built as)");
    }
    PlaybookLoader.checkArguments(ContainerTask.TYPE, new YamlNode.Mapping(config, node.location()), entry.keyLocation());
    boolean data = node.get("data") != null && dev.deployer.yaml.Nodes.bool(node, "data");
    Map<String, Object> plainConfig = new LinkedHashMap<>();
    config.forEach((key, value) -> {
      if (!key.equals("name")) {
        plainConfig.put(key, value.value().toPlain());
      }
    });
    return new UnitContainer(name, plainConfig, data, daemon(node), job(node, name), buildSrc);
  }

  /** {@code daemon:} is a list of http answers, or the check task's own keys (http, from, ...). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> daemon(YamlNode.Mapping container) {
    YamlNode node = container.get("daemon");
    if (node == null) {
      return Map.of();
    }
    YamlNode.Mapping args = node instanceof YamlNode.Mapping mapping && mapping.get("http") != null ? mapping
        : new YamlNode.Mapping(Map.of("http", new YamlNode.Entry("http", node.location(), node)), node.location());
    if (args.get("job") != null) {
      throw new ConfigException(args.locationOf("job"), "a job is its own key of the container, beside daemon");
    }
    PlaybookLoader.checkArguments(CheckTask.TYPE, args, container.locationOf("daemon"));
    return (Map<String, Object>) args.toPlain();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> job(YamlNode.Mapping container, String name) {
    YamlNode node = container.get("job");
    if (node == null) {
      return Map.of();
    }
    Map<String, YamlNode.Entry> entries = new LinkedHashMap<>(mapping(node, "job").entries());
    if (entries.containsKey("container")) {
      throw new ConfigException(entries.get("container").keyLocation(), "a job's container is the one it is written under");
    }
    Map<String, Object> plain = (Map<String, Object>) node.toPlain();
    entries.put("container", new YamlNode.Entry("container", node.location(), new YamlNode.Scalar(name, node.location())));
    YamlNode.Mapping job = new YamlNode.Mapping(entries, node.location());
    PlaybookLoader.checkArguments(CheckTask.TYPE,
        new YamlNode.Mapping(Map.of("job", new YamlNode.Entry("job", node.location(), job)), node.location()),
        container.locationOf("job"));
    return plain;
  }

  private static Order order(YamlNode node, Map<String, UnitContainer> containers) {
    YamlNode.Mapping order = mapping(node, "an order (an action and its container: '- start: web')");
    String action = null;
    for (String key : order.entries().keySet()) {
      if (Order.ACTIONS.containsKey(key)) {
        if (action != null) {
          throw new ConfigException(order.locationOf(key), "an order has one action, but this one has " + action + " and " + key);
        }
        action = key;
      }
    }
    if (action == null) {
      String first = order.entries().keySet().stream().findFirst().orElse("");
      throw new ConfigException(order.location(), "an order needs an action (" + String.join(", ", new java.util.TreeSet<>(Order.ACTIONS.keySet()))
          + ")" + Suggestions.didYouMean(first, Order.ACTIONS.keySet()));
    }
    String container = scalarString(order.get(action), action);
    boolean host = container.equals("host") && action.equals("exec");
    if (!host && !containers.containsKey(container)) {
      throw new ConfigException(order.locationOf(action), action + ": no container '" + container + "' in this unit"
          + Suggestions.didYouMean(container, containers.keySet()) + (action.equals("exec") ? " (or host)" : ""));
    }
    Set<String> allowed = new java.util.HashSet<>(Order.ACTIONS.get(action));
    allowed.add(action);
    allowed.add("variants");
    checkKeys(order, allowed, action + " order");
    Map<String, Object> args = new LinkedHashMap<>();
    for (YamlNode.Entry entry : order.entries().values()) {
      if (!entry.key().equals(action) && !entry.key().equals("variants")) {
        args.put(entry.key(), entry.value().toPlain());
      }
    }
    return new Order(action, container, args, stringList(order.get("variants"), "variants"), order.location());
  }

  private static List<Param> params(YamlNode node) {
    List<Param> params = new ArrayList<>();
    for (YamlNode item : list(node, "params")) {
      YamlNode.Mapping param = mapping(item, "a param");
      if (param.get("add_argument") != null) {
        param = mapping(param.get("add_argument"), "add_argument"); // the seed's spelling
      }
      checkKeys(param, PARAM_KEYS, "param");
      String name = optionalString(param, "name");
      if (name == null || !PARAM_NAME.matcher(name.replaceFirst("^--", "")).matches()) {
        throw new ConfigException(param.location(), "a param needs a name: lowercase letters, digits and '_'");
      }
      name = name.replaceFirst("^--", "");
      if (UnitCommands.RESERVED.contains(name)) {
        throw new ConfigException(param.locationOf("name"), "param " + name + " would hide deployer's own --" + name);
      }
      List<String> choices = stringList(param.get("choices"), "choices");
      String fallback = optionalString(param, "default");
      if (fallback != null && !choices.isEmpty() && !choices.contains(fallback)) {
        throw new ConfigException(param.locationOf("default"), "default '" + fallback + "' is not one of " + choices);
      }
      params.add(new Param(name, choices, fallback, optionalString(param, "help"), false));
    }
    return params;
  }
}
