package dev.deployer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.deployer.inventory.Host;
import dev.deployer.inventory.Inventory;
import dev.deployer.inventory.InventoryLoader;
import dev.deployer.template.Unsafe;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deployer inventory --list}: the inventory as deployer resolves it, like ansible-inventory --list. */
@Command(
    name = "inventory",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Prints the inventory as deployer resolves it.",
    description = {
      "Prints the inventory (YAML or INI) as deployer resolves it, as JSON shaped like "
          + "ansible-inventory --list: each group's hosts (its children's included) and child groups, and "
          + "under _meta.hostvars every host's merged variables. Values of names that look secret "
          + "(password, secret, token, private key) are masked."
    },
    footer = {"", "Example:", "  deployer inventory --list -i hosts.ini"})
public final class InventoryCommand implements Callable<Integer> {
  /** Variable names whose values are not printed; paths to key files are. */
  static final Pattern SECRET = Pattern.compile("(?i).*(pass|secret|token|private_key|api_key|credential).*");

  @Spec CommandSpec spec;

  @Option(names = {"-i", "--inventory"}, paramLabel = "FILE", required = true, description = "The inventory file.")
  Path inventory;

  @Option(names = "--list", required = true, description = "Print every host and group (the one view there is).")
  boolean list;

  @Override
  public Integer call() throws Exception {
    Inventory resolved = InventoryLoader.load(inventory);
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> hostvars = new LinkedHashMap<>();
    for (Host host : resolved.hosts().values()) {
      hostvars.put(host.name(), masked(host.variables()));
    }
    out.put("_meta", Map.of("hostvars", hostvars));
    resolved.groups().forEach((group, hosts) -> {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("hosts", hosts);
      List<String> children = resolved.children().getOrDefault(group, List.of());
      if (!children.isEmpty()) {
        entry.put("children", children);
      }
      out.put(group, entry);
    });
    spec.commandLine().getOut().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    return 0;
  }

  static Map<String, Object> masked(Map<String, Object> vars) {
    Map<String, Object> out = new LinkedHashMap<>();
    vars.forEach((key, value) -> out.put(key,
        SECRET.matcher(key).matches() && !key.endsWith("_file") && value != null ? "********" : Unsafe.strip(value)));
    return out;
  }
}
