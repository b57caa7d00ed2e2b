package dev.deployer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.ssh.Command;
import dev.deployer.ssh.RemoteException;
import dev.deployer.ssh.UnreachableException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyRemoteTest {
  @Test
  void connectsAtTheFirstUseOnlyAndTellsAnUnreachableHostFromARefusedBecome() {
    AtomicInteger opened = new AtomicInteger();
    LazyRemote unused = new LazyRemote(() -> {
      opened.incrementAndGet();
      throw new UnreachableException("no route");
    });
    unused.interrupt();
    unused.close();
    assertEquals(0, opened.get(), "a task that never used its host never connected");

    var unreachable = assertThrows(LazyRemote.NotConnected.class, () -> unused.run(Command.of("true")));
    assertTrue(unreachable.unreachable());
    assertEquals("no route", unreachable.getMessage());

    LazyRemote refused = new LazyRemote(() -> {
      throw new RemoteException("cannot become app with sudo");
    });
    var notBecome = assertThrows(LazyRemote.NotConnected.class, () -> refused.upload(java.nio.file.Path.of("x"), "/x", 0644));
    assertFalse(notBecome.unreachable());
    // Not a RemoteException: a task's handling of a failed command does not swallow it.
    assertFalse(RemoteException.class.isInstance(notBecome));
  }
}
