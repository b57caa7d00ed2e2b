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
  private final Map<String, Object> registered = new LinkedHashMap<>();
  private boolean stopped;

  HostRun(Host host, RemoteFactory factory) {
    this.host = host;
    this.factory = factory;
  }

  synchronized Remote remote() {
    if (remote == null) {
      remote = factory.connect(host);
    }
    return remote;
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
    if (remote != null) {
      remote.close();
      remote = null;
    }
  }
}
