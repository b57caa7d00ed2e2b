package dev.deployer.report;

import dev.deployer.persist.Persistence;
import dev.deployer.ssh.CommandResult;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a run's time went ({@code --profile}): the start (the JVM's own, and reading the
 * inventory and playbook), each host's SSH connection, and each task on each host split into
 * time on the host (its commands, as the recorded results time them) and time here (planning,
 * hashing, reading local files, waiting for a fork).
 */
public final class Profile {
  /**
   * When the command was typed: this JVM's start, or the client's when an agent runs it. (The
   * process's start time as /proc has it counts from a boot time rounded to the second.)
   */
  private final Instant processStart = Instant.ofEpochMilli(Optional.ofNullable(System.getProperty(Persistence.CLIENT_START))
      .map(Long::parseLong).orElseGet(() -> ManagementFactory.getRuntimeMXBean().getStartTime()));
  private final Map<String, Long> connectMillis = new ConcurrentHashMap<>();
  private final Set<String> keptConnections = ConcurrentHashMap.newKeySet();
  private volatile Instant runStart;

  /** Marks the moment hosts start to be worked on: what came before is start-up. */
  public void runStarts() {
    runStart = Instant.now();
  }

  /** @param kept the connection was kept open since an earlier run (by a persistent agent) */
  public void connected(String host, long millis, boolean kept) {
    connectMillis.put(host, millis);
    if (kept) {
      keptConnections.add(host);
    }
  }

  public void print(PrintWriter out, RunReport report) {
    Instant end = Instant.now();
    Instant started = runStart != null ? runStart : end;
    out.println();
    out.printf("PROFILE: %d ms in all; start-up %d ms (JVM, inventory, playbook), hosts %d ms%n",
        millis(processStart, end), millis(processStart, started), millis(started, end));
    for (HostSummary host : report.hosts().values()) {
      long connect = connectMillis.getOrDefault(host.host(), 0L);
      out.printf("  %s: connect %d ms%s%n", host.host(), connect,
          keptConnections.contains(host.host()) ? " (kept from an earlier run)" : "");
      boolean first = true;
      for (TaskRecord task : host.tasks()) {
        long remote = task.commands().stream().mapToLong(CommandResult::millis).sum();
        // The first task of a host waited for its connection; that is shown above, not here.
        long own = Math.max(0, task.millis() - (first ? connect : 0));
        first = false;
        out.printf("    %-40s %6d ms: on the host %d ms (%d command%s), here %d ms%n", shorten(task.task()), own, remote,
            task.commands().size(), task.commands().size() == 1 ? "" : "s", Math.max(0, own - remote));
      }
    }
    out.flush();
  }

  private static long millis(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }

  private static String shorten(String name) {
    return name.length() <= 40 ? name : name.substring(0, 37) + "...";
  }
}
