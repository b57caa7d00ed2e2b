package dev.deployer.cli;

import dev.deployer.yaml.ConfigException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code [HOST] SERVICE}, as rollback and history take them: with HOST, the host as the other
 * verbs take it (an inventory host or group, or a bare address); without, the inventory's hosts
 * that --hosts selects.
 */
final class ServiceTarget {
  @Parameters(arity = "1..2", paramLabel = "HOST|SERVICE",
      description = "[HOST] SERVICE: the service (its container's name), after an optional HOST: an inventory host"
          + " or group, or a host's address.")
  List<String> words = new ArrayList<>();

  @Option(names = "--hosts", paramLabel = "PATTERN",
      description = "Without HOST: the inventory's hosts the service runs on (default: all).")
  String hosts;

  @Mixin HostTarget target;

  String service() {
    return words.get(words.size() - 1);
  }

  HostTarget.Resolved resolve(RunSettings settings, PrintWriter out) {
    if (words.size() == 1) {
      return new HostTarget.Resolved(settings.loadInventory(), hosts == null ? "all" : hosts);
    }
    if (hosts != null) {
      throw new ConfigException(null, "give HOST or --hosts, not both");
    }
    return target.resolve(words.get(0), settings, out);
  }
}
