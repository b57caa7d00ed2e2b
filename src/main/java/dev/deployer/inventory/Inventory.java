package dev.deployer.inventory;

import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Hosts and the groups they belong to, in the order the inventory lists them.
 *
 * @param groups every group name mapped to all its hosts, its children's hosts included
 * @param children every group name mapped to its child groups
 */
public record Inventory(String source, Map<String, Host> hosts, Map<String, List<String>> groups,
    Map<String, List<String>> children) {

  public Inventory {
    hosts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
    groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    children = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(children));
  }

  /** An inventory of groups without child groups. */
  public Inventory(String source, Map<String, Host> hosts, Map<String, List<String>> groups) {
    this(source, hosts, groups, Map.of());
  }

  /**
   * The hosts an Ansible host pattern selects: {@code all}, {@code *}, a group, a host, a glob
   * ({@code web*}), joined by {@code ,} or {@code :}; {@code !x} removes and {@code &x} intersects.
   * A term that matches nothing is an error: a typo in --limit must not deploy to zero hosts
   * silently.
   */
  public List<Host> select(String pattern) {
    Set<String> union = new LinkedHashSet<>();
    List<Set<String>> intersections = new ArrayList<>();
    Set<String> excluded = new LinkedHashSet<>();
    for (String raw : pattern.split("[,:]")) {
      String term = raw.trim();
      if (term.isEmpty()) {
        continue;
      }
      if (term.startsWith("!")) {
        excluded.addAll(match(term.substring(1)));
      } else if (term.startsWith("&")) {
        intersections.add(match(term.substring(1)));
      } else {
        union.addAll(match(term));
      }
    }
    List<Host> selected = new ArrayList<>();
    for (Host host : hosts.values()) {
      String name = host.name();
      if (union.contains(name)
          && !excluded.contains(name)
          && intersections.stream().allMatch(set -> set.contains(name))) {
        selected.add(host);
      }
    }
    return selected;
  }

  /** The hosts a play's pattern selects, narrowed to those --limit selects (when it is not null). */
  public List<Host> select(String pattern, String limit) {
    List<Host> hosts = select(pattern);
    if (limit == null) {
      return hosts;
    }
    List<Host> allowed = select(limit);
    return hosts.stream().filter(allowed::contains).toList();
  }

  private Set<String> match(String term) {
    if (term.equals("all") || term.equals("*")) {
      return hosts.keySet();
    }
    if (groups.containsKey(term)) {
      return new LinkedHashSet<>(groups.get(term));
    }
    if (hosts.containsKey(term)) {
      return Set.of(term);
    }
    if (term.contains("*")) {
      Pattern glob = Pattern.compile(("\\Q" + term + "\\E").replace("*", "\\E.*\\Q"));
      Set<String> matched = new LinkedHashSet<>();
      hosts.keySet().stream().filter(h -> glob.matcher(h).matches()).forEach(matched::add);
      groups.forEach((group, members) -> {
        if (glob.matcher(group).matches()) {
          matched.addAll(members);
        }
      });
      if (!matched.isEmpty()) {
        return matched;
      }
    }
    List<String> names = new ArrayList<>(hosts.keySet());
    names.addAll(groups.keySet());
    throw new ConfigException(
        null,
        "no host or group '" + term + "' in " + source + Suggestions.didYouMean(term, names));
  }
}
