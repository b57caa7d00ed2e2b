package dev.deployer.run;

import dev.deployer.inventory.Host;
import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.LineListener;
import dev.deployer.ssh.Remote;
import dev.deployer.ssh.UnreachableException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Connections kept open from run to run, one per host, so that the second run costs no handshakes:
 * the shell's from command to command, a persistent agent's from one {@code deployer play} to the
 * next. Runs get them through {@link #connect} wrapped so that closing them at the end of a run
 * leaves them open; {@link #close} closes them for real. A connection that turned out to be dead is
 * dropped, and the next command opens a new one.
 */
public final class RemotePool implements RemoteFactory, AutoCloseable {
  private final RemoteFactory connector;
  private final Function<Host, Object> key;
  private final boolean checkOnReuse;
  private final Map<Object, Remote> open = new ConcurrentHashMap<>();

  /** The shell's pool: one inventory, so a host's name says which connection is its. */
  public RemotePool(RemoteFactory connector) {
    this(connector, Host::name, false);
  }

  /**
   * @param key what makes two hosts the same connection (across runs of other inventories, the
   *     whole host: address, port, user, key, jump hosts)
   * @param checkOnReuse ask a kept connection whether it still answers before handing it out: one
   *     idle since an earlier run may have been cut, and a run should not fail on that
   */
  public RemotePool(RemoteFactory connector, Function<Host, Object> key, boolean checkOnReuse) {
    this.connector = connector;
    this.key = key;
    this.checkOnReuse = checkOnReuse;
  }

  @Override
  public Remote connect(Host host) {
    Object id = key.apply(host);
    Remote remote = open.get(id);
    if (remote != null && checkOnReuse && !remote.answers()) {
      drop(id, remote);
      remote = null;
    }
    if (remote == null) {
      Remote fresh = connector.connect(host);
      remote = open.putIfAbsent(id, fresh);
      if (remote == null) {
        remote = fresh;
      } else {
        fresh.close();
      }
    }
    return new Kept(id, remote);
  }

  /** Whether this host's connection would be a kept one (for --profile). */
  public boolean holds(Host host) {
    return open.containsKey(key.apply(host));
  }

  /** Interrupts whatever runs on any connection (Ctrl-C), all hosts at once. */
  public void interruptAll() {
    Parallel.interruptAll(List.copyOf(open.values()));
  }

  @Override
  public void close() {
    open.values().forEach(Remote::close);
    open.clear();
  }

  private void drop(Object host, Remote remote) {
    if (open.remove(host, remote)) {
      remote.close();
    }
  }

  /** A pooled connection as a run sees it: closing it is a no-op; losing it drops it from the pool. */
  private final class Kept implements Remote {
    private final Object host;
    private final Remote remote;

    Kept(Object host, Remote remote) {
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
