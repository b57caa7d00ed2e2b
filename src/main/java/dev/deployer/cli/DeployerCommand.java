package dev.deployer.cli;

import java.util.List;
import picocli.CommandLine.Command;

/** The top-level {@code deployer} command; the work is in its subcommands. */
@Command(
    name = "deployer",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Agentless, Ansible-style playbook runner for Docker deployments over SSH.",
      "",
      "An inventory of hosts plus YAML playbooks of idempotent tasks, rendered with Mustache and run "
          + "over parallel SSH sessions with the plain docker CLI on each host."
    },
    footer = {
      "",
      "Examples:",
      "  deployer play playbooks/demo.yml -i hosts.yml --check",
      "  deployer deploy web -i hosts.yml hello --tag 1.4.2",
      "  deployer rollback hello -i hosts.yml",
      "  deployer shell -i hosts.yml -c 'use web; ps'",
      "  deployer unit run gitolite/backup -i hosts.yml --fetch backups",
      "  deployer play deploy.yml -i hosts.yml --limit web1 -e app_version=1.4.2 --forks 20 -v",
    })
public final class DeployerCommand implements Runnable {
  /**
   * The subcommands, in the order help lists them. Not in the annotation: picocli would build
   * every one's model at each start, a third of a second, where a run needs only its own
   * ({@link Main#commandLine(String...)}).
   */
  static final List<Class<?>> SUBCOMMANDS = List.of(
      PlayCommand.class,
      VerbCommands.Config.class,
      VerbCommands.Build.class,
      VerbCommands.Deploy.class,
      VerbCommands.Healthcheck.class,
      RollbackCommand.class,
      ServeCommand.class,
      PasswdCommand.class,
      TokenCommand.class,
      InventoryCommand.class,
      HistoryCommand.class,
      ShellCommand.class,
      UnitCommand.class,
      picocli.CommandLine.HelpCommand.class);

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
