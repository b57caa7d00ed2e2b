package dev.deployer.inventory;

import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Location;
import dev.deployer.yaml.Suggestions;
import dev.deployer.yaml.YamlLoader;
import dev.deployer.yaml.YamlNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an Ansible-style inventory, YAML or INI: groups with {@code hosts}, {@code children} and
 * {@code vars}, nested as deep as the user likes, hosts written one by one or as ranges
 * ({@code web[01:20].example.com}). Variables merge as Ansible merges them: {@code all},
 * then groups from the outermost to the innermost (alphabetically at the same depth), then the
 * host's own.
 */
public final class InventoryLoader {
  private static final Set<String> GROUP_KEYS = Set.of("hosts", "children", "vars");

  private final Map<String, Map<String, Object>> groupVars = new LinkedHashMap<>();
  private final Map<String, Set<String>> groupChildren = new LinkedHashMap<>();
  private final Map<String, Set<String>> groupHosts = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> hostVars = new LinkedHashMap<>();
  private final Map<String, Location> hostLocations = new HashMap<>();
  private final Path baseDir;
  private final String source;

  private InventoryLoader(Path file) {
    this.baseDir = file.toAbsolutePath().getParent();
    this.source = file.toString();
  }

  /** Reads a YAML inventory, or an INI one (by its .ini name or its content). */
  public static Inventory load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(Location.of(file.toString()), "file not found");
    } catch (IOException e) {
      throw new ConfigException(Location.of(file.toString()), "cannot read: " + e.getMessage());
    }
    return parse(text, file);
  }

  static Inventory parse(String text, Path pretendFile) {
    String name = pretendFile.toString();
    YamlNode root = IniInventory.looksLikeIni(name, text) ? IniInventory.parse(text, name) : YamlLoader.parse(text, name);
    return new InventoryLoader(pretendFile).read(root);
  }

  private Inventory read(YamlNode root) {
    if (!(root instanceof YamlNode.Mapping top)) {
      throw new ConfigException(root.location(), "an inventory is a mapping of groups, such as 'all:'");
    }
    group("all");
    for (YamlNode.Entry entry : top.entries().values()) {
      if (!entry.key().equals("all")) {
        groupChildren.get("all").add(entry.key());
      }
      readGroup(entry.key(), entry.value());
    }
    return build();
  }

  private void group(String name) {
    groupVars.computeIfAbsent(name, k -> new LinkedHashMap<>());
    groupChildren.computeIfAbsent(name, k -> new LinkedHashSet<>());
    groupHosts.computeIfAbsent(name, k -> new LinkedHashSet<>());
  }

  private void readGroup(String name, YamlNode node) {
    group(name);
    if (node instanceof YamlNode.Scalar scalar && scalar.value() == null) {
      return;
    }
    if (!(node instanceof YamlNode.Mapping mapping)) {
      throw new ConfigException(node.location(), "group '" + name + "' must be a mapping with hosts, children or vars");
    }
    for (YamlNode.Entry entry : mapping.entries().values()) {
      switch (entry.key()) {
        case "vars" -> groupVars.get(name).putAll(plainMap(entry.value(), "vars of group '" + name + "'"));
        case "hosts" -> readHosts(name, entry.value());
        case "children" -> {
          YamlNode.Mapping children = mappingOrEmpty(entry.value(), "children of group '" + name + "'");
          for (YamlNode.Entry child : children.entries().values()) {
            if (child.key().equals("all")) {
              throw new ConfigException(child.keyLocation(), "'all' cannot be a child group");
            }
            groupChildren.get(name).add(child.key());
            readGroup(child.key(), child.value());
          }
        }
        default -> throw new ConfigException(
            entry.keyLocation(),
            "unknown key '" + entry.key() + "' in group '" + name + "'; a group has hosts, children and vars"
                + Suggestions.didYouMean(entry.key(), GROUP_KEYS));
      }
    }
  }

  private void readHosts(String group, YamlNode node) {
    YamlNode.Mapping hosts = mappingOrEmpty(node, "hosts of group '" + group + "'");
    for (YamlNode.Entry entry : hosts.entries().values()) {
      List<String> names;
      try {
        names = HostRanges.expand(entry.key());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(entry.keyLocation(), e.getMessage());
      }
      for (String host : names) {
        groupHosts.get(group).add(host);
        hostLocations.putIfAbsent(host, entry.keyLocation());
        hostVars.computeIfAbsent(host, k -> new LinkedHashMap<>())
            .putAll(plainMap(entry.value(), "vars of host '" + host + "'"));
      }
    }
  }

  private static YamlNode.Mapping mappingOrEmpty(YamlNode node, String what) {
    if (node instanceof YamlNode.Scalar scalar && scalar.value() == null) {
      return new YamlNode.Mapping(Map.of(), node.location());
    }
    if (node instanceof YamlNode.Mapping mapping) {
      return mapping;
    }
    throw new ConfigException(node.location(), what + " must be a mapping, not " + node.kind());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> plainMap(YamlNode node, String what) {
    return (Map<String, Object>) mappingOrEmpty(node, what).toPlain();
  }

  private Inventory build() {
    Map<String, Integer> depth = new HashMap<>();
    assignDepth("all", 0, depth, new LinkedHashSet<>());
    Map<String, Set<String>> members = new LinkedHashMap<>();
    for (String group : groupVars.keySet()) {
      members.put(group, collectMembers(group, new LinkedHashSet<>()));
    }
    // "all" holds every host, even ones listed only under a child group.
    members.get("all").addAll(hostVars.keySet());

    List<String> groupOrder = new ArrayList<>(groupVars.keySet());
    groupOrder.sort(Comparator.comparing((String g) -> depth.getOrDefault(g, 1)).thenComparing(g -> g));

    Map<String, Host> hosts = new LinkedHashMap<>();
    for (String name : hostVars.keySet()) {
      List<Map<String, Object>> levels = new ArrayList<>();
      List<String> groups = new ArrayList<>();
      for (String group : groupOrder) {
        if (members.get(group).contains(name)) {
          levels.add(groupVars.get(group));
          if (!group.equals("all")) {
            groups.add(group);
          }
        }
      }
      levels.add(hostVars.get(name));
      hosts.put(name, toHost(name, groups, levels));
    }
    Map<String, List<String>> groups = new LinkedHashMap<>();
    members.forEach((group, set) -> groups.put(group, hosts.keySet().stream().filter(set::contains).toList()));
    Map<String, List<String>> children = new LinkedHashMap<>();
    groupChildren.forEach((group, set) -> children.put(group, List.copyOf(set)));
    return new Inventory(source, hosts, groups, children);
  }

  private void assignDepth(String group, int level, Map<String, Integer> depth, Set<String> path) {
    if (!path.add(group)) {
      throw new ConfigException(Location.of(source), "group '" + group + "' is its own descendant: " + path);
    }
    depth.merge(group, level, Math::max);
    for (String child : groupChildren.getOrDefault(group, Set.of())) {
      assignDepth(child, level + 1, depth, path);
    }
    path.remove(group);
  }

  private Set<String> collectMembers(String group, Set<String> into) {
    into.addAll(groupHosts.get(group));
    for (String child : groupChildren.get(group)) {
      collectMembers(child, into);
    }
    return into;
  }

  /** @param levels the host's variables from all, its groups and itself, lowest first */
  private Host toHost(String name, List<String> groups, List<Map<String, Object>> levels) {
    Map<String, Object> vars = new LinkedHashMap<>();
    levels.forEach(vars::putAll);
    Location where = hostLocations.getOrDefault(name, Location.of(source));
    String address = setting(levels, "ansible_host", "address");
    String user = setting(levels, "ansible_user", "user");
    String key = setting(levels, "ansible_ssh_private_key_file", "identity_file");
    String knownHosts = setting(levels, "ansible_ssh_known_hosts_file", "known_hosts");
    String portValue = setting(levels, "ansible_port", "port");
    int port = 22;
    if (portValue != null) {
      try {
        port = Integer.parseInt(portValue.toString().trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(where, "host '" + name + "': port '" + portValue + "' is not a number");
      }
      if (port < 1 || port > 65535) {
        throw new ConfigException(where, "host '" + name + "': port " + port + " is out of range");
      }
    }
    return new Host(
        name,
        address == null ? name : address,
        port,
        user == null ? System.getProperty("user.name") : user,
        key == null ? null : resolve(key),
        knownHosts == null ? null : resolve(knownHosts),
        groups,
        vars);
  }

  /**
   * A connection setting under its Ansible name or its short name. The most specific level wins
   * whichever name it uses: a host's {@code user} beats the group's {@code ansible_user}.
   */
  private static String setting(List<Map<String, Object>> levels, String ansibleName, String shortName) {
    for (int i = levels.size() - 1; i >= 0; i--) {
      Object value = levels.get(i).containsKey(ansibleName) ? levels.get(i).get(ansibleName) : levels.get(i).get(shortName);
      if (value != null) {
        return value.toString();
      }
    }
    return null;
  }

  /** Paths are relative to the inventory file, and {@code ~} is the user's home, as in SSH. */
  private Path resolve(String path) {
    if (path.equals("~") || path.startsWith("~/")) {
      return Path.of(System.getProperty("user.home"), path.substring(1).replaceFirst("^/", ""));
    }
    return baseDir.resolve(path).normalize();
  }
}
