package dev.deployer.cli;

import dev.deployer.inventory.Host;
import dev.deployer.inventory.Inventory;
import dev.deployer.playbook.BuiltinPlaybooks;
import dev.deployer.playbook.Playbook;
import dev.deployer.playbook.ServicesFile;
import dev.deployer.yaml.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What config, build, deploy and healthcheck share: a HOST that is an inventory host or group
 * (with -i, $DEPLOYER_INVENTORY or ./hosts.yml) or a bare address (with --user, --key, --port),
 * a services file, and one of the built-in playbooks in playbooks/builtin.
 */
abstract class VerbCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HOST", description = "An inventory host or group, or a host's address.")
  String host;

  @Option(names = "--services", paramLabel = "FILE", defaultValue = "services.yml",
      description = "The services file (default: ${DEFAULT-VALUE}).")
  Path servicesFile;

  @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "SSH user, for a bare address (default: you).")
  String user;

  @Option(names = {"-k", "--key"}, paramLabel = "FILE", description = "SSH private key, for a bare address.")
  Path key;

  @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "22", description = "SSH port, for a bare address.")
  int port;

  @Mixin RunSettings settings;

  /** The built-in playbook's file name. */
  abstract String playbook();

  /** The variables the playbook's loops and tasks read. */
  abstract Map<String, Object> variables();

  @Override
  public Integer call() {
    return settings.run(spec, this::inventory, this::load, List.of(), List.of(),
        () -> new RunSettings.Scope(host, variables()));
  }

  ServicesFile services() {
    return ServicesFile.load(servicesFile);
  }

  /** The inventory when HOST names something in it; otherwise a one-host inventory for the address. */
  private Inventory inventory() {
    boolean named = settings.inventory != null || System.getenv("DEPLOYER_INVENTORY") != null
        || Files.exists(Path.of("hosts.yml"));
    if (named) {
      return settings.loadInventory();
    }
    if (!host.matches("[A-Za-z0-9_.:-]+")) {
      throw new ConfigException(null, "'" + host + "' is not a host address, and there is no inventory (-i) to find it in");
    }
    Host single = new Host(host, host, port, user != null ? user : System.getProperty("user.name"),
        key, null, List.of(), Map.of());
    return new Inventory("command line", Map.of(host, single), Map.of("all", List.of(host)));
  }

  private Playbook load() {
    return BuiltinPlaybooks.load(playbook());
  }
}
