package dev.deployer.cli;

import dev.deployer.inventory.Inventory;
import dev.deployer.report.ConsoleReporter;
import dev.deployer.shell.Shell;
import dev.deployer.ssh.SshConnector;
import dev.deployer.yaml.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deployer shell}: an interactive console over the inventory. */
@Command(
    name = "shell",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpWidth = 110,
    header = "Opens a console on the inventory.",
    description = {
      "Opens a console on the inventory: pick hosts with 'use', run any task ad hoc ('run', 'check'), "
          + "playbooks, deploys, rollbacks and health checks, and look at containers ('ps', 'logs'). "
          + "Connections stay open between commands. Tab completes commands, hosts, groups, task types and "
          + "their arguments, services and playbook paths; history is kept in ~/.deployer_history "
          + "($DEPLOYER_HISTORY); Ctrl-C stops the running command on every host, Ctrl-D leaves.",
      "",
      "With -c, or with commands on standard input, it runs them as if typed and exits with the last "
          + "one's code. 'help' lists the commands; 'help COMMAND' shows one."
    },
    footer = {
      "",
      "Examples:",
      "  deployer shell -i hosts.yml --limit web",
      "  deployer shell -i hosts.yml -c 'use web; ps'",
      "  echo 'health --restart' | deployer shell -i hosts.yml",
    })
public final class ShellCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin RunSettings settings;

  @Option(names = "-c", paramLabel = "COMMANDS", description = "Run these commands (separated by ;) and exit.")
  String commands;

  @Option(names = "--services", paramLabel = "FILE", defaultValue = "services.yml",
      description = "The services file deploy and health read (default: ${DEFAULT-VALUE}).")
  Path servicesFile;

  @Option(names = "--units", paramLabel = "DIR",
      description = "The units directory the unit command reads (default: units/ beside the inventory, else ./units).")
  Path units;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (settings.check || settings.reportJson != null) {
      throw new ConfigException(null, "the shell takes no --check or --report-json: use 'check TASK ...' or 'play FILE --check'");
    }
    Inventory inventory = settings.loadInventory();
    if (settings.limit != null && inventory.select(settings.limit).isEmpty()) {
      throw new ConfigException(null, "--limit '" + settings.limit + "' selects no hosts");
    }
    boolean color = commands == null && ConsoleReporter.colorWanted();
    Shell shell = new Shell(inventory, settings.limit, new Shell.Settings(settings.forks, settings.verbose, color,
        ExtraVars.parse(settings.extraVars), settings.breakLock, servicesFile, UnitCommand.unitsDir(units, settings.inventory)),
        new SshConnector(settings.sshOptions())::connect);
    PrintWriter out = spec.commandLine().getOut();
    if (commands != null) {
      return shell.runScript(new BufferedReader(new StringReader(commands)), out, err);
    }
    if (System.console() == null) {
      return shell.runScript(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), out, err);
    }
    return shell.interactive(historyFile());
  }

  private static Path historyFile() {
    String fromEnv = System.getenv("DEPLOYER_HISTORY");
    return fromEnv != null ? Path.of(fromEnv) : Path.of(System.getProperty("user.home"), ".deployer_history");
  }
}
