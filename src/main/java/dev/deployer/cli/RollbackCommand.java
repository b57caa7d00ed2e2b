package dev.deployer.cli;

import dev.deployer.playbook.GeneratedPlaybook;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deployer rollback [HOST] SERVICE}: back to the previous release, health-gated. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpWidth = 110,
    header = "Redeploys an earlier release of a service.",
    description = {
      "Redeploys an earlier release of SERVICE on HOST (without HOST, on every host of the inventory "
          + "that --hosts and --limit select): the image ID and the whole "
          + "configuration recorded when it was deployed (ports, env, volumes, network, command, labels, "
          + "health), through the same health-gated swap as a deploy. Without --to, the release before the "
          + "live one."
    },
    footer = {"", "Examples:", "  deployer rollback hello -i hosts.yml", "  deployer rollback hello -i hosts.yml --limit web1 --to hello:1.3.0",
        "  deployer rollback 192.0.2.10 hello --user deploy"})
public final class RollbackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ServiceTarget target;

  @Option(names = "--to", paramLabel = "IMAGE", description = "The release to go back to: an image reference or ID prefix.")
  String to;

  @Mixin RunSettings settings;

  @Override
  public Integer call() {
    HostTarget.Resolved resolved = target.resolve(settings, spec.commandLine().getOut());
    return settings.run(spec, resolved::inventory,
        () -> GeneratedPlaybook.rollback(resolved.pattern(), target.service(), to), List.of(), List.of(), RunSettings.Scope::none);
  }
}
