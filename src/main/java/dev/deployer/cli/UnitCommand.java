package dev.deployer.cli;

import dev.deployer.unit.Unit;
import dev.deployer.unit.UnitCommands;
import dev.deployer.unit.UnitLoader;
import dev.deployer.unit.UnitPlaybook;
import dev.deployer.yaml.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code deployer unit list|print|run}: the seed's units, run as generated playbooks. */
@Command(
    name = "unit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpWidth = 110,
    header = "Runs commands of units: containers and their data.",
    description = {
      "Runs groups of containers described in unit files (units/NAME.yml: containers, data containers "
          + "and their volumes, daemon and job checks, and commands of orders). Commands a unit does not "
          + "write are generated: build, create, start, stop, restart, cleanup, purge, backup, restore, "
          + "upgrade, test. Each runs as a playbook through the same engine, report, check mode and locks "
          + "as deployer play."
    },
    subcommands = {UnitCommand.ListUnits.class, UnitCommand.Print.class, UnitCommand.Run.class},
    footer = {
      "",
      "Examples:",
      "  deployer unit list -i hosts.yml",
      "  deployer unit print gitolite/backup",
      "  deployer unit run gitolite/start:prod -i hosts.yml",
      "  deployer unit run gitolite/backup -i hosts.yml -e dest=/srv/backups --check",
      "  deployer unit run gitolite/purge -i hosts.yml --yes",
    })
public final class UnitCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the units are: --units, else units/ beside the inventory, else ./units. */
  static Path unitsDir(Path given, Path inventory) {
    if (given != null) {
      return given;
    }
    String fromEnv = System.getenv("DEPLOYER_INVENTORY");
    Path inventoryFile = inventory != null ? inventory : fromEnv != null ? Path.of(fromEnv) : Path.of("hosts.yml");
    Path beside = inventoryFile.toAbsolutePath().resolveSibling("units");
    return Files.isDirectory(beside) ? beside : Path.of("units");
  }

  static Map<String, Unit> units(Path given, Path inventory) {
    return UnitLoader.loadAll(unitsDir(given, inventory));
  }

  /** Where the units are, for every unit subcommand. */
  static final class UnitsDir {
    @Option(names = "--units", paramLabel = "DIR", description = "The units directory (default: units/ beside the inventory, else ./units).")
    Path dir;
  }

  /** The options of unit print and unit run that shape the playbook. */
  static final class Shape {
    @Mixin UnitsDir units;

    @Option(names = "--production", description = "test: run on the live containers, not on test-UNIT-* twins.")
    boolean production;

    @Option(names = "--full", description = "test: purge what the test made at the end.")
    boolean full;

    UnitPlaybook.Request request(String call, List<String> params, Path inventory, Set<String> extraVars) {
      return UnitPlaybook.request(units(units.dir, inventory), call, params, extraVars, production, full);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, usageHelpWidth = 110,
      description = "Lists every UNIT/COMMAND, its variants and options; generated commands are marked.")
  static final class ListUnits implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin UnitsDir units;

    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE", description = "Only to find units/ beside it.")
    Path inventory;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      UnitCommands.listing(units(units.dir, inventory)).forEach(out::println);
      out.flush();
      return 0;
    }
  }

  @Command(name = "print", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, usageHelpWidth = 110,
      description = "Prints the playbook a unit command runs (generated or its own), with the params given.")
  static final class Print implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "UNIT/COMMAND[:VARIANT...]", description = "Such as gitolite/start or gitolite/start:prod.")
    String call;

    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE", description = "Only to find units/ beside it.")
    Path inventory;

    @Mixin Shape shape;

    @Unmatched List<String> params = new ArrayList<>();

    @Override
    public Integer call() {
      spec.commandLine().getOut().print(UnitPlaybook.yaml(shape.request(call, params, inventory, Set.of())));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, usageHelpWidth = 110,
      sortOptions = false,
      header = "Runs a unit command on the unit's hosts.",
      description = {
        "Runs a unit command on the unit's hosts. UNIT/COMMAND:VARIANT runs only the orders of that "
            + "variant and those of none. The command's params are options: --NAME VALUE (see unit list). "
            + "purge, and test --production --full, delete data: they need --yes (or look first with "
            + "--check)."
      })
  static final class Run implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "UNIT/COMMAND[:VARIANT...]", description = "Such as gitolite/start or gitolite/start:prod.")
    String call;

    @Option(names = "--yes", description = "Confirm a command that deletes containers, volumes and images (purge).")
    boolean yes;

    @Mixin Shape shape;

    @Mixin RunSettings settings;

    @Unmatched List<String> params = new ArrayList<>();

    @Override
    public Integer call() {
      UnitPlaybook.Request request = shape.request(call, params, settings.inventory, ExtraVars.parse(settings.extraVars).keySet());
      if (request.deletes() && !yes && !settings.check) {
        throw new ConfigException(null, request.confirmationNeeded());
      }
      return settings.run(spec, () -> UnitPlaybook.load(request), List.of(), List.of());
    }
  }
}
