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

/** {@code deployer history SERVICE}: the releases recorded on each host. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpWidth = 110,
    header = "Lists a service's releases on each host, newest first.",
    description = {
      "Lists, per host, the releases of SERVICE recorded on its live container, newest first: image, "
          + "image ID, when, by whom, in which run. Reads only."
    },
    footer = {"", "Example:", "  deployer history hello -i hosts.yml"})
public final class HistoryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SERVICE", description = "The service (its container's name).")
  String service;

  @Option(names = "--hosts", paramLabel = "PATTERN", defaultValue = "all",
      description = "The hosts the service runs on (default: ${DEFAULT-VALUE}).")
  String hosts;

  @Mixin RunSettings settings;

  @Override
  public Integer call() {
    return settings.run(spec, () -> GeneratedPlaybook.history(hosts, service), List.of(), List.of());
  }
}
