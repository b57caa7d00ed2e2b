package dev.deployer.shell;

import dev.deployer.inventory.Host;
import dev.deployer.run.Parallel;
import dev.deployer.run.RemoteFactory;
import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.LineListener;
import dev.deployer.ssh.Remote;
import dev.deployer.ssh.UnreachableException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shell's connections, one per host, kept open from command to command so that the second
 * {@code ps} costs no handshakes. Runs get them through {@link #connect} wrapped so that closing
 * them at the end of a run leaves them open; {@link #close} closes them for real. A connection that
 * turned out to be dead is dropped, and the next command opens a new one.
 */
final class RemotePool implements RemoteFactory, AutoCloseable {
  private final RemoteFactory connector;
  private final Map<String, Remote> open = new ConcurrentHashMap<>();

  RemotePool(RemoteFactory connector) {
    this.connector = connector;
  }

  @Override
  public Remote connect(Host host) {
    Remote remote = open.get(host.name());
    if (remote == null) {
      Remote fresh = connector.connect(host);
      remote = open.putIfAbsent(host.name(), fresh);
      if (remote == null) {
        remote = fresh;
      } else {
        fresh.close();
      }
    }
    return new Kept(host.name(), remote);
  }

  /** Interrupts whatever runs on any connection (Ctrl-C), all hosts at once. */
  void interruptAll() {
    Parallel.interruptAll(List.copyOf(open.values()));
  }

  @Override
  public void close() {
    open.values().forEach(Remote::close);
    open.clear();
  }

  private void drop(String host, Remote remote) {
    if (open.remove(host, remote)) {
      remote.close();
    }
  }

  /** A pooled connection as a run sees it: closing it is a no-op; losing it drops it from the pool. */
  private final class Kept implements Remote {
    private final String host;
    private final Remote remote;

    Kept(String host, Remote remote) {
      this.host = host;
      this.remote = remote;
    }

    /** A call on the kept session; a session found lost is dropped, so the next use opens a new one. */
    private <T> T dropIfLost(java.util.function.Supplier<T> call) {
      try {
        return call.get();
      } catch (UnreachableException e) {
        drop(host, remote);
        throw e;
      }
    }

    @Override
    public CommandResult run(Command command, LineListener listener) {
      return dropIfLost(() -> remote.run(command, listener));
    }

    @Override
    public CommandResult runWithInput(Command command, Input input) {
      return dropIfLost(() -> remote.runWithInput(command, input));
    }

    @Override
    public CommandResult runAside(Command command) {
      return remote.runAside(command);
    }

    @Override
    public java.util.OptionalLong processGroup() {
      return remote.processGroup();
    }

    @Override
    public void upload(Path local, String remotePath, int mode) {
      dropIfLost(() -> {
        remote.upload(local, remotePath, mode);
        return null;
      });
    }

    @Override
    public void interrupt() {
      remote.interrupt();
    }

    /** The kept session's own become shell: it lives as long as the session, as the login shell does. */
    @Override
    public Remote become(String user, String password) {
      return remote.become(user, password);
    }

    @Override
    public void close() {}
  }
}
