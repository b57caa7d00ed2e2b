package dev.deployer.cli;

import dev.deployer.playbook.GeneratedPlaybook;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deployer rollback SERVICE}: back to the previous release, health-gated. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpWidth = 110,
    header = "Redeploys an earlier release of a service.",
    description = {
      "Redeploys an earlier release of SERVICE on every host (or --limit): the image ID and the whole "
          + "configuration recorded when it was deployed (ports, env, volumes, network, command, labels, "
          + "health), through the same health-gated swap as a deploy. Without --to, the release before the "
          + "live one."
    },
    footer = {"", "Examples:", "  deployer rollback hello -i hosts.yml", "  deployer rollback hello -i hosts.yml --limit web1 --to hello:1.3.0"})
public final class RollbackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SERVICE", description = "The service (its container's name).")
  String service;

  @Option(names = "--to", paramLabel = "IMAGE", description = "The release to go back to: an image reference or ID prefix.")
  String to;

  @Option(names = "--hosts", paramLabel = "PATTERN", defaultValue = "all",
      description = "The hosts the service runs on (default: ${DEFAULT-VALUE}).")
  String hosts;

  @Mixin RunSettings settings;

  @Override
  public Integer call() {
    return settings.run(spec, () -> GeneratedPlaybook.rollback(hosts, service, to), List.of(), List.of());
  }
}
