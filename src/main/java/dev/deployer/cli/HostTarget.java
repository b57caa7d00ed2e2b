package dev.deployer.cli;

import dev.deployer.inventory.Host;
import dev.deployer.inventory.Inventory;
import dev.deployer.yaml.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * HOST as the verbs take it (the deploy CLI seed's {@code my_deployer config <REMOTE_IP>}): an
 * inventory host, group or pattern when there is an inventory and it names one, an inventory host
 * by its address, or else a bare address reached with --user, --key and --port. The verb says
 * which it used before it connects.
 */
final class HostTarget {
  /** A hostname or IPv4 address; IPv6 would read as an Ansible pattern (its colons split terms). */
  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9_.-]+");

  @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "SSH user, for a bare address (default: you).")
  String user;

  @Option(names = {"-k", "--key"}, paramLabel = "FILE", description = "SSH private key, for a bare address.")
  Path key;

  @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "22", description = "SSH port, for a bare address.")
  int port;

  /** The inventory a verb runs on, and the host pattern that selects HOST in it. */
  record Resolved(Inventory inventory, String pattern) {}

  Resolved resolve(String host, RunSettings settings, PrintWriter out) {
    Optional<Inventory> named = settings.namesInventory() ? Optional.of(settings.loadInventory()) : Optional.empty();
    if (named.isPresent()) {
      Inventory inventory = named.get();
      Optional<Host> byAddress = inventory.hosts().values().stream().filter(h -> h.address().equals(host)).findFirst();
      if (byAddress.isPresent() && !inventory.hosts().containsKey(host)) {
        say(out, host + ": inventory host " + byAddress.get().name() + " of " + inventory.source() + unused());
        return new Resolved(inventory, byAddress.get().name());
      }
      try {
        List<Host> selected = inventory.select(host);
        say(out, host + ": " + names(selected) + " of " + inventory.source() + unused());
        return new Resolved(inventory, host);
      } catch (ConfigException notInIt) {
        // Beside an inventory, a bare word is far likelier a typo of a name in it than a machine:
        // only an IP address or a dotted name is taken as an address then.
        if (!ADDRESS.matcher(host).matches() || !host.contains(".")) {
          throw notInIt;
        }
      }
    } else if (!ADDRESS.matcher(host).matches()) {
      throw new ConfigException(null, "'" + host + "' is not a host address, and there is no inventory (-i) to find it in");
    }
    String login = user != null ? user : System.getProperty("user.name");
    Host single = new Host(host, host, port, login, key, null, List.of(), Map.of());
    say(out, host + ": bare address, ssh " + login + "@" + host + (port == 22 ? "" : " port " + port)
        + (key == null ? "" : " with key " + key) + (named.isPresent() ? " (not in " + named.get().source() + ")" : ""));
    return new Resolved(new Inventory("command line", Map.of(host, single), Map.of("all", List.of(host))), host);
  }

  private static String names(List<Host> hosts) {
    List<String> names = hosts.stream().map(Host::name).toList();
    return names.size() == 1 ? "inventory host " + names.get(0) : "inventory hosts " + String.join(", ", names);
  }

  private static void say(PrintWriter out, String line) {
    out.println("Target " + line);
  }

  /** Said of an inventory target when the command line also gave a bare address's settings. */
  private String unused() {
    return user != null || key != null || port != 22
        ? " (--user, --key and --port are for a bare address; the inventory's settings apply)" : "";
  }
}
