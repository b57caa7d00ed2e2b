package dev.deployer.inventory;

import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Location;
import dev.deployer.yaml.YamlLoader;
import dev.deployer.yaml.YamlNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's INI inventory, read as its INI plugin reads it, into the same tree a YAML inventory
 * makes (with the INI file's line numbers): {@code [group]} sections of host lines with inline
 * {@code key=value} vars (Python-style literals: numbers, True/False/None, quoted strings, lists),
 * {@code [group:vars]} of {@code key=value} (kept as text, as Ansible does), {@code
 * [group:children]}, host ranges, {@code host:port}, and {@code #} or {@code ;} comments. Hosts
 * before any section are in {@code ungrouped}.
 */
final class IniInventory {
  private static final Pattern SECTION = Pattern.compile("\\[([A-Za-z0-9_.-]+)(?::([A-Za-z]+))?]\\s*(?:[#;].*)?");
  private static final Pattern HOST_PORT = Pattern.compile("(.*[^:]):([0-9]{1,5})");
  private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]{1,18}");

  /** A group as the file describes it, in the order things were written. */
  private static final class Group {
    final Location location;
    final Map<String, YamlNode.Entry> hosts = new LinkedHashMap<>();
    final Map<String, YamlNode.Entry> vars = new LinkedHashMap<>();
    final Map<String, YamlNode.Entry> children = new LinkedHashMap<>();

    Group(Location location) {
      this.location = location;
    }
  }

  private final String name;
  private final Map<String, Group> groups = new LinkedHashMap<>();

  private IniInventory(String name) {
    this.name = name;
  }

  /** Whether a file is INI rather than YAML: by its name, else by its first meaningful line. */
  static boolean looksLikeIni(String fileName, String text) {
    String lower = fileName.toLowerCase(java.util.Locale.ROOT);
    if (lower.endsWith(".ini")) {
      return true;
    }
    if (lower.endsWith(".yml") || lower.endsWith(".yaml") || lower.endsWith(".json")) {
      return false;
    }
    for (String line : text.lines().map(String::strip).toList()) {
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || line.equals("---")) {
        continue;
      }
      return SECTION.matcher(line).matches() || !(line.endsWith(":") || line.contains(": ") || line.startsWith("{"));
    }
    return false;
  }

  static YamlNode.Mapping parse(String text, String name) {
    return new IniInventory(name).read(text);
  }

  private YamlNode.Mapping read(String text) {
    String section = "ungrouped";
    String kind = "hosts";
    int number = 0;
    for (String raw : text.split("\r?\n", -1)) {
      number++;
      String line = raw.strip();
      Location where = new Location(name, number, raw.indexOf(line.isEmpty() ? " " : line.substring(0, 1)) + 1);
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[")) {
        Matcher m = SECTION.matcher(line);
        if (!m.matches()) {
          throw new ConfigException(where, "a section is [group], [group:vars] or [group:children], not " + line);
        }
        section = m.group(1);
        kind = m.group(2) == null ? "hosts" : m.group(2);
        if (m.group(2) != null && !kind.equals("vars") && !kind.equals("children")) {
          throw new ConfigException(where, "unknown section kind ':" + kind + "'; use [" + section + "], ["
              + section + ":vars] or [" + section + ":children]");
        }
        group(section, where);
        continue;
      }
      Group group = group(section, where);
      switch (kind) {
        case "vars" -> {
          int eq = line.indexOf('=');
          if (eq <= 0) {
            throw new ConfigException(where, "a line in [" + section + ":vars] is key=value, not " + line);
          }
          String key = line.substring(0, eq).strip();
          group.vars.put(key, new YamlNode.Entry(key, where, new YamlNode.Scalar(line.substring(eq + 1).strip(), where)));
        }
        case "children" -> {
          String child = line.split("\\s+[#;]", 2)[0].strip();
          if (child.equals("all")) {
            throw new ConfigException(where, "'all' cannot be a child group");
          }
          group(child, where);
          group.children.put(child, new YamlNode.Entry(child, where, new YamlNode.Scalar(null, where)));
        }
        default -> hostLine(group, line, where);
      }
    }
    Map<String, YamlNode.Entry> top = new LinkedHashMap<>();
    groups.forEach((groupName, group) -> {
      Map<String, YamlNode.Entry> parts = new LinkedHashMap<>();
      parts.put("hosts", entry("hosts", group.location, group.hosts));
      parts.put("vars", entry("vars", group.location, group.vars));
      parts.put("children", entry("children", group.location, group.children));
      top.put(groupName, new YamlNode.Entry(groupName, group.location, new YamlNode.Mapping(parts, group.location)));
    });
    return new YamlNode.Mapping(top, new Location(name, 1, 1));
  }

  private static YamlNode.Entry entry(String key, Location where, Map<String, YamlNode.Entry> entries) {
    return new YamlNode.Entry(key, where, new YamlNode.Mapping(entries, where));
  }

  private Group group(String groupName, Location where) {
    return groups.computeIfAbsent(groupName, g -> new Group(where));
  }

  private void hostLine(Group group, String line, Location where) {
    List<String> tokens;
    try {
      tokens = ShellWords.split(line, true);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where, e.getMessage());
    }
    if (tokens.isEmpty()) {
      return;
    }
    String pattern = tokens.get(0);
    Map<String, YamlNode.Entry> vars = new LinkedHashMap<>();
    Matcher port = HOST_PORT.matcher(pattern);
    if (port.matches()) { // a range ends in ']', so "web[1:3]" is never taken for a port
      pattern = port.group(1);
      vars.put("ansible_port", new YamlNode.Entry("ansible_port", where,
          new YamlNode.Scalar(Integer.parseInt(port.group(2)), where)));
    }
    for (String token : tokens.subList(1, tokens.size())) {
      int eq = token.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(where, "after the host name, a host line has key=value pairs, not '" + token + "'");
      }
      String key = token.substring(0, eq);
      vars.put(key, new YamlNode.Entry(key, where, literal(token.substring(eq + 1), where)));
    }
    List<String> names;
    try {
      names = HostRanges.expand(pattern);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where, e.getMessage());
    }
    for (String host : names) {
      group.hosts.put(host, new YamlNode.Entry(host, where, new YamlNode.Mapping(vars, where)));
    }
  }

  /** An inline value as Ansible reads it: a Python literal where it is one, else text. */
  private static YamlNode literal(String text, Location where) {
    if (INTEGER.matcher(text).matches()) {
      long value = Long.parseLong(text);
      return new YamlNode.Scalar(value == (int) value ? (Object) (int) value : (Object) value, where);
    }
    switch (text) {
      case "True", "true" -> {
        return new YamlNode.Scalar(Boolean.TRUE, where);
      }
      case "False", "false" -> {
        return new YamlNode.Scalar(Boolean.FALSE, where);
      }
      case "None" -> {
        return new YamlNode.Scalar(null, where);
      }
      default -> {
        if (text.startsWith("[") || text.startsWith("{")) {
          try {
            return YamlLoader.parse(text.replace("True", "true").replace("False", "false"), where.file());
          } catch (ConfigException e) {
            return new YamlNode.Scalar(text, where);
          }
        }
        return new YamlNode.Scalar(text, where);
      }
    }
  }
}
