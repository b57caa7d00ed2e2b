package dev.deployer.cli;

import dev.deployer.playbook.BuiltinPlaybooks;
import dev.deployer.playbook.Playbook;
import dev.deployer.playbook.ServicesFile;
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

  @Mixin HostTarget target;

  @Mixin RunSettings settings;

  /** The built-in playbook's file name. */
  abstract String playbook();

  /** The variables the playbook's loops and tasks read. */
  abstract Map<String, Object> variables();

  @Override
  public Integer call() {
    HostTarget.Resolved resolved = target.resolve(host, settings, spec.commandLine().getOut());
    return settings.run(spec, resolved::inventory, this::load, List.of(), List.of(),
        () -> new RunSettings.Scope(resolved.pattern(), variables()));
  }

  ServicesFile services() {
    return ServicesFile.load(servicesFile);
  }

  private Playbook load() {
    return BuiltinPlaybooks.load(playbook());
  }
}
