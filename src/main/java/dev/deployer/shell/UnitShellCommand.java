package dev.deployer.shell;

import dev.deployer.unit.Unit;
import dev.deployer.unit.UnitCommands;
import dev.deployer.unit.UnitPlaybook;
import dev.deployer.yaml.ConfigException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The shell's {@code unit}: list the units, print a command's playbook, or run it on the hosts in use. */
@Command(name = "unit", description = "Lists units (unit list), prints a unit command's playbook (unit print UNIT/COMMAND),"
    + " or runs one on the hosts in use: unit UNIT/COMMAND[:VARIANT...] [--NAME VALUE]...",
    footer = {"", "Examples:", "  unit list", "  unit print gitolite/backup", "  unit gitolite/start:prod",
        "  unit gitolite/backup --fetch backups", "  unit gitolite/purge --yes"})
final class UnitShellCommand extends ConsoleCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "list|print|UNIT/COMMAND", description = "What to do (Tab offers them).")
  String first;

  @Parameters(index = "1..*", paramLabel = "ARG", description = "For print, UNIT/COMMAND; for a run, the command's --NAME VALUE.")
  List<String> rest = new ArrayList<>();

  @Option(names = {"-C", "--check"}, description = "Check mode: change nothing.")
  boolean check;

  @Option(names = "--yes", description = "Confirm a command that deletes containers, volumes and images (purge).")
  boolean yes;

  @Option(names = "--production", description = "test: run on the live containers, not on test-UNIT-* twins.")
  boolean production;

  @Option(names = "--full", description = "test: purge what the test made at the end.")
  boolean full;

  UnitShellCommand(ShellSession session) {
    super(session);
  }

  /** Every UNIT/COMMAND, and UNIT/COMMAND:VARIANT for each variant its orders name: what Tab offers. */
  static Collection<String> calls(Map<String, Unit> units) {
    List<String> calls = new ArrayList<>();
    for (Unit unit : units.values()) {
      for (String command : UnitCommands.names(unit)) {
        calls.add(unit.name() + "/" + command);
        unit.variants(command).forEach(variant -> calls.add(unit.name() + "/" + command + ":" + variant));
      }
    }
    return calls;
  }

  @Override
  public Integer call() {
    if (first == null || first.equals("list")) {
      UnitCommands.listing(session.units()).forEach(session.out()::println);
      return 0;
    }
    boolean print = first.equals("print");
    if (print && rest.isEmpty()) {
      throw new ConfigException(null, "print what? unit print UNIT/COMMAND");
    }
    String call = print ? rest.get(0) : first;
    UnitPlaybook.Request request = request(call, print ? rest.subList(1, rest.size()) : rest);
    if (print) {
      session.out().print(UnitPlaybook.yaml(request));
      return 0;
    }
    if (request.deletes() && !yes && !check) {
      throw new ConfigException(null, request.confirmationNeeded());
    }
    return session.runPlaybook(UnitPlaybook.load(request), check, List.of(), Map.of());
  }

  private UnitPlaybook.Request request(String call, List<String> params) {
    return UnitPlaybook.request(session.units(), call, params, Set.copyOf(session.extraVarNames()), production, full);
  }
}
