package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.docker.Docker;
import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.LineListener;
import dev.deployer.ssh.Remote;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which hosts are one machine, from what they answer; the scale bench shows the effect on real builds. */
class MachineGateTest {
  private final TaskContext.RunInfo run = new TaskContext.RunInfo("run1", "me@here", false);

  private TaskContext host(String answer) {
    Remote remote = new Remote() {
      @Override
      public CommandResult run(Command command, LineListener listener) {
        return new CommandResult(command.line(), 0, answer, "", 1);
      }

      @Override
      public void upload(Path local, String remotePath, int mode) {}

      @Override
      public void close() {}
    };
    return new TaskContext("h", remote, new Docker(remote), null, Clock.systemUTC(), false, Path.of("."), run);
  }

  @Test
  void hostsOnOneKernelShareItsProcessorsAndOthersDoNot() {
    String one = "0b6d3c3e-1f0c-4c4e-9a59-3d2f1e0a7b11\n2\n";
    Semaphore first = MachineGate.of(host(one)).orElseThrow();
    assertSame(first, MachineGate.of(host(one)).orElseThrow());
    assertEquals(2, first.availablePermits());
    assertNotSame(first, MachineGate.of(host("9f1c2a77-5b1e-4d8e-8c1a-2b3c4d5e6f70\n2\n")).orElseThrow());
  }

  @Test
  void aHostThatCannotTellBuildsWithoutWaiting() {
    assertTrue(MachineGate.of(host("")).isEmpty());
    assertTrue(MachineGate.of(host("not a boot id\n4\n")).isEmpty());
    assertEquals("built", MachineGate.inTurn(Optional.empty(), () -> "built").value());
  }

  @Test
  void noMoreRunAtOnceThanTheMachineHasProcessors() throws Exception {
    Optional<Semaphore> turns = Optional.of(new Semaphore(2, true));
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(6);
    for (int i = 0; i < 6; i++) {
      new Thread(() -> {
        MachineGate.inTurn(turns, () -> {
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          // Each holds its turn until another has one too (or a while): three at once would show.
          for (int spin = 0; spin < 1_000_000 && running.get() < 2; spin++) {
            Thread.onSpinWait();
          }
          return running.decrementAndGet();
        });
        done.countDown();
      }).start();
    }
    assertTrue(done.await(30, TimeUnit.SECONDS));
    assertTrue(most.get() <= 2, "at most two at once, saw " + most.get());
    assertEquals(2, turns.get().availablePermits());
  }
}
