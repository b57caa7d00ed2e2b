package dev.deployer.cli;

import dev.deployer.playbook.GeneratedPlaybook;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code deployer history [HOST] SERVICE}: the releases recorded on each host. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpWidth = 110,
    header = "Lists a service's releases on each host, newest first.",
    description = {
      "Lists, per host (HOST, or without it every host of the inventory that --hosts and --limit select), "
          + "the releases of SERVICE recorded on its live container, newest first: image, image ID, when, "
          + "by whom, in which run. Reads only."
    },
    footer = {"", "Examples:", "  deployer history hello -i hosts.yml", "  deployer history 192.0.2.10 hello --user deploy"})
public final class HistoryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ServiceTarget target;

  @Mixin RunSettings settings;

  @Override
  public Integer call() {
    HostTarget.Resolved resolved = target.resolve(settings, spec.commandLine().getOut());
    return settings.run(spec, resolved::inventory, () -> GeneratedPlaybook.history(resolved.pattern(), target.service()),
        List.of(), List.of(), RunSettings.Scope::none);
  }
}
