package dev.deployer.unit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The seed's generated commands, made from a unit's containers when the unit does not write its
 * own: build, create, start, stop, restart, cleanup, purge, backup, restore, upgrade and test.
 */
public final class UnitCommands {
  public static final List<String> GENERATED = List.of("build", "create", "start", "stop", "restart", "cleanup", "purge",
      "backup", "restore", "upgrade", "test");
  /** Options of {@code unit run} itself, which a unit's params may not take. */
  static final Set<String> RESERVED = Set.of("check", "limit", "inventory", "extra_vars", "forks", "verbose", "yes", "full",
      "production", "units", "become", "help", "version", "tags");

  private UnitCommands() {}

  /** Every command of the unit: its own, then the generated ones it does not override. */
  public static Set<String> names(Unit unit) {
    Set<String> names = new LinkedHashSet<>(unit.commands().keySet());
    names.addAll(GENERATED);
    return Collections.unmodifiableSet(names);
  }

  public static boolean generated(Unit unit, String command) {
    return !unit.commands().containsKey(command) && GENERATED.contains(command);
  }

  /** The params of one command: the unit's own, then those of a generated command (test takes start's). */
  public static List<Param> params(Unit unit, String command) {
    if (command.equals("test")) {
      return params(unit, "start");
    }
    List<Param> params = new ArrayList<>(unit.params());
    String dest = "/var/backups/deployer/" + unit.name();
    if (generated(unit, command) && command.equals("backup")) {
      params.add(Param.of("dest", dest, "the directory on each host for the archives"));
      params.add(Param.of("fetch", null, "also bring each archive back here, into this directory, checked"));
      params.add(Param.of("keep", null, "keep only the newest N backups of each volume in dest"));
      params.add(Param.flag("stop", "stop each container around its copy, for a consistent one"));
    }
    if (generated(unit, command) && command.equals("restore")) {
      params.add(Param.of("dest", dest, "the directory on each host the newest archive of each volume is taken from"));
      params.add(Param.flag("force", "replace what a volume holds (default: refuse when it holds anything)"));
    }
    return params;
  }

  /** The orders of a command (not test, which {@link UnitPlaybook} puts together). */
  public static List<Order> orders(Unit unit, String command) {
    if (unit.commands().containsKey(command)) {
      return unit.commands().get(command);
    }
    List<UnitContainer> all = unit.ordered();
    List<UnitContainer> reversed = new ArrayList<>(all);
    Collections.reverse(reversed);
    List<Order> orders = new ArrayList<>();
    switch (command) {
      case "build" -> all.forEach(c -> orders.add(Order.of("build", c.name())));
      case "create" -> all.forEach(c -> orders.add(Order.of("create", c.name())));
      case "start" -> all.forEach(c -> orders.add(Order.of(c.data() ? "create" : "start", c.name())));
      case "stop" -> reversed.stream().filter(c -> !c.data()).forEach(c -> orders.add(Order.of("stop", c.name())));
      case "restart" -> all.stream().filter(c -> !c.data()).forEach(c -> orders.add(Order.of("restart", c.name())));
      case "cleanup" -> reversed.stream().filter(c -> !c.data() && !c.hasOwnVolumes())
          .forEach(c -> orders.add(Order.of("remove", c.name())));
      case "purge" -> {
        reversed.forEach(c -> orders.add(Order.of("remove", c.name(), Map.of("volumes", true))));
        // Only images the unit builds: a pulled one may be any other container's too.
        all.stream().filter(UnitContainer::built).forEach(c -> orders.add(Order.of("remove_image", c.name())));
      }
      case "backup" -> all.stream().filter(UnitContainer::hasOwnVolumes).forEach(c -> orders.add(Order.of("backup", c.name())));
      case "restore" -> all.stream().filter(UnitContainer::hasOwnVolumes).forEach(c -> orders.add(Order.of("restore", c.name())));
      case "upgrade" -> {
        all.forEach(c -> orders.add(Order.of("build", c.name())));
        all.stream().filter(c -> !c.data()).forEach(c -> orders.add(Order.of("start", c.name())));
      }
      default -> throw new IllegalArgumentException("unit " + unit.name() + " has no command " + command);
    }
    return orders;
  }

  /** What {@code unit list} shows: each unit, its commands (generated ones marked) with variants and options. */
  public static List<String> listing(Map<String, Unit> units) {
    List<String> lines = new ArrayList<>();
    for (Unit unit : units.values()) {
      lines.add(unit.name() + (unit.description() == null ? "" : ": " + unit.description()) + "  (hosts: " + unit.hosts() + ")");
      for (String command : names(unit)) {
        Set<String> variants = unit.variants(command);
        lines.add("  " + unit.name() + "/" + command + (generated(unit, command) ? "  (generated)" : "")
            + (variants.isEmpty() ? "" : "  variants: " + String.join(", ", variants)));
        params(unit, command).forEach(param -> lines.add("      " + param.usage()));
      }
    }
    return lines;
  }

  /** The containers a test checks: those with a daemon or a job. */
  static List<UnitContainer> checked(Unit unit) {
    return unit.ordered().stream().filter(c -> !c.daemon().isEmpty() || !c.job().isEmpty()).toList();
  }
}
