package dev.deployer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.inventory.Host;
import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.LineListener;
import dev.deployer.ssh.Remote;
import dev.deployer.ssh.UnreachableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shell keeps one connection per host across commands (the ITs show it against real hosts). */
class RemotePoolTest {
  private static final Command DOCKER_PS = Command.of("docker", "ps");
  private static final Host WEB1 = new Host("web1", "192.0.2.10", 22, "deploy", null, null, List.of(), Map.of());

  /** A stand-in connection that counts what happens to it. */
  private static final class Counted implements Remote {
    int closed;
    boolean lost;
    boolean answers = true;

    @Override
    public boolean answers() {
      return answers;
    }

    @Override
    public CommandResult run(Command command, LineListener listener) {
      if (lost) {
        throw new UnreachableException("connection lost");
      }
      return new CommandResult(command.line(), 0, "", "", 1);
    }

    @Override
    public void upload(Path local, String remotePath, int mode) {}

    @Override
    public void close() {
      closed++;
    }
  }

  private final List<Counted> opened = new ArrayList<>();
  /** Opens a counted stand-in and remembers it. */
  private Remote open(Host host) {
    Counted remote = new Counted();
    opened.add(remote);
    return remote;
  }

  private final RemotePool pool = new RemotePool(this::open);

  /** A persistent agent's pool: by the whole host, each kept connection asked before reuse. */
  private final RemotePool checking = new RemotePool(this::open, host -> host, true);

  @Test
  void runsShareOneConnectionAndClosingARunsViewKeepsItOpen() {
    Remote first = pool.connect(WEB1);
    first.run(DOCKER_PS);
    first.close();
    pool.connect(WEB1).run(DOCKER_PS);
    assertEquals(1, opened.size());
    assertEquals(0, opened.get(0).closed);
    pool.close();
    assertEquals(1, opened.get(0).closed);
  }

  @Test
  void aLostConnectionIsDroppedAndTheNextCommandReconnects() {
    Remote remote = pool.connect(WEB1);
    opened.get(0).lost = true;
    assertThrows(UnreachableException.class, () -> remote.run(DOCKER_PS));
    assertEquals(1, opened.get(0).closed);
    pool.connect(WEB1).run(DOCKER_PS);
    assertEquals(2, opened.size());
    assertTrue(opened.get(1).closed == 0);
  }

  @Test
  void aKeptConnectionThatNoLongerAnswersIsReplacedBeforeARunGetsIt() {
    checking.connect(WEB1).close();
    opened.get(0).answers = false;
    checking.connect(WEB1).run(DOCKER_PS);
    assertEquals(2, opened.size());
    assertEquals(1, opened.get(0).closed);
    assertEquals(0, opened.get(1).closed);
  }

  @Test
  void hostsAreKeptApartByTheKeyGiven() {
    checking.connect(WEB1);
    checking.connect(new Host("web1", "192.0.2.11", 22, "deploy", null, null, List.of(), Map.of()));
    assertEquals(2, opened.size());
    assertTrue(checking.holds(WEB1));
  }
}
