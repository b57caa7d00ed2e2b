package dev.deployer.report;

import java.util.LinkedHashMap;
import java.util.Map;

/** Collects every task record of a run, per host, from many threads. */
public final class RunReport {
  /** Every host succeeded. */
  public static final int EXIT_OK = 0;
  /** Usage or playbook error: nothing ran. */
  public static final int EXIT_USAGE = 1;
  /** A task failed on some host. */
  public static final int EXIT_FAILED = 2;
  /** A host could not be reached (checked before failures: it is the bigger surprise). */
  public static final int EXIT_UNREACHABLE = 3;

  private final Map<String, HostSummary> hosts = new LinkedHashMap<>();

  /** Lists a host in the recap even if no task ends up running on it. */
  public synchronized void include(String host) {
    hosts.putIfAbsent(host, HostSummary.empty(host));
  }

  public synchronized void add(TaskRecord record) {
    hosts.merge(record.host(), HostSummary.empty(record.host()).plus(record), (old, one) -> old.plus(record));
  }

  public synchronized Map<String, HostSummary> hosts() {
    return new LinkedHashMap<>(hosts);
  }

  public synchronized int exitCode() {
    if (hosts.values().stream().anyMatch(h -> h.unreachable() > 0)) {
      return EXIT_UNREACHABLE;
    }
    if (hosts.values().stream().anyMatch(h -> h.failed() > 0)) {
      return EXIT_FAILED;
    }
    return EXIT_OK;
  }
}
