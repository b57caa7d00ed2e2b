package dev.deployer.task;

import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.RemoteException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Builds on hosts that are one machine take turns, as many at once as it has processors. Hosts
 * that share a kernel (containers, or sshd instances, on one machine) say so by the same boot_id;
 * fifty builds at once there thrash its cores and each takes longer than if they had queued.
 * Hosts that are machines of their own never wait on each other.
 */
final class MachineGate {
  private static final String IDENTIFY = "cat /proc/sys/kernel/random/boot_id 2>/dev/null; nproc 2>/dev/null";

  private MachineGate() {}

  /** This host's machine's turns, shared by every host of this run on the same machine; empty when the host cannot tell. */
  static Optional<Semaphore> of(TaskContext ctx) {
    CommandResult identity = ctx.remote().run(Command.script(IDENTIFY));
    List<String> lines = identity.stdout().lines().map(String::trim).toList();
    if (lines.size() < 2 || !lines.get(0).matches("[0-9a-f-]{36}") || !lines.get(1).matches("[1-9][0-9]{0,4}")) {
      return Optional.empty();
    }
    int processors = Integer.parseInt(lines.get(1));
    return Optional.of(ctx.run().memo().get(List.of("machine", lines.get(0)), () -> new Semaphore(processors, true)));
  }

  /** What work in a turn gave, and how long it waited for the turn. */
  record Turn<T>(T value, long waitedMillis) {}

  /** Runs {@code work} in one of the machine's turns (at once when there are none to take). */
  static <T> Turn<T> inTurn(Optional<Semaphore> turns, Supplier<T> work) {
    if (turns.isEmpty()) {
      return new Turn<>(work.get(), 0);
    }
    long started = System.nanoTime();
    try {
      turns.get().acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteException("interrupted while waiting for a turn to build");
    }
    try {
      long waited = (System.nanoTime() - started) / 1_000_000;
      return new Turn<>(work.get(), waited);
    } finally {
      turns.get().release();
    }
  }
}
