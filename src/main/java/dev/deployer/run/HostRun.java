package dev.deployer.run;

import dev.deployer.inventory.Host;
import dev.deployer.ssh.Remote;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One host's state across a run: its connection (opened on first use, reused by every task),
 * what its tasks registered, and whether it has dropped out.
 */
final class HostRun implements AutoCloseable {
  final Host host;
  private final RemoteFactory factory;
  private volatile Remote remote;
  /** A connection being opened ahead of the first task, or null. */
  private java.util.concurrent.Future<Remote> ahead;
  private final Map<String, Object> registered = new LinkedHashMap<>();
  private boolean stopped;

  HostRun(Host host, RemoteFactory factory) {
    this.host = host;
    this.factory = factory;
  }

  /**
   * Starts opening the connection now, on {@code pool}, so the handshake overlaps the work done
   * here before the first task needs the host. A failure surfaces where it would have anyway: at
   * the first {@link #remote()}.
   */
  synchronized void connectAhead(java.util.concurrent.ExecutorService pool) {
    if (remote == null && ahead == null) {
      ahead = pool.submit(() -> factory.connect(host));
    }
  }

  synchronized Remote remote() {
    if (remote == null) {
      remote = ahead != null ? awaitAhead() : factory.connect(host);
    }
    return remote;
  }

  private Remote awaitAhead() {
    java.util.concurrent.Future<Remote> pending = ahead;
    ahead = null;
    try {
      return pending.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.deployer.ssh.UnreachableException("interrupted while connecting to " + host.name(), e);
    }
  }

  /** The connection if one is open, without opening one. */
  Remote opened() {
    return remote;
  }

  synchronized void register(String name, Map<String, Object> value) {
    registered.put(name, value);
  }

  synchronized Map<String, Object> registered() {
    return new LinkedHashMap<>(registered);
  }

  synchronized boolean stopped() {
    return stopped;
  }

  synchronized void stop() {
    stopped = true;
  }

  @Override
  public synchronized void close() {
    if (ahead != null) {
      try {
        remote = awaitAhead();
      } catch (RuntimeException e) {
        // Never used, and it failed: nothing to close.
      }
    }
    if (remote != null) {
      remote.close();
      remote = null;
    }
  }
}
