package dev.deployer.persist;

import dev.deployer.inventory.Host;
import dev.deployer.run.RemoteFactory;
import dev.deployer.run.RemotePool;
import dev.deployer.ssh.SshOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In an agent, the SSH connections runs leave open for the next run; elsewhere, none: a run
 * connects and closes as it always did. A connection is kept per host and per set of SSH options
 * (known_hosts, host key checking, timeouts, config, agent, passphrase), and per version of the
 * files it was checked against: a run is only handed one made as it would have made it itself. So
 * a known_hosts file edited since (a host's key revoked) means a new connection, checked against
 * it. One kept since an earlier run is asked whether it still answers before it is used.
 */
public final class KeptConnections {
  private static volatile boolean active;
  private static final Map<Object, RemotePool> POOLS = new ConcurrentHashMap<>();

  private KeptConnections() {}

  static void start() {
    active = true;
  }

  static void closeAll() {
    POOLS.values().forEach(RemotePool::close);
    POOLS.clear();
  }

  /**
   * How a run connects: through the kept connections in an agent, else with {@code connector}.
   *
   * @param options what, besides the host, the connection depends on ({@link #options})
   */
  public static RemoteFactory forRun(Object options, RemoteFactory connector) {
    if (!active) {
      return connector;
    }
    return POOLS.computeIfAbsent(options, key -> new RemotePool(connector, KeptConnections::identity, true));
  }

  /**
   * What a connection to this host was made from: the host as the inventory has it (address,
   * port, user, key, jump hosts, variables) and the files it was checked with, as they are now.
   */
  private static Object identity(Host host) {
    return List.of(host, stamp(host.knownHosts()), stamp(host.identityFile()));
  }

  /**
   * The options of a run, with the state of the files they name: a known_hosts or ssh config
   * changed since an earlier run gets connections of its own.
   */
  public static Object options(SshOptions options) {
    return List.of(options, stamp(options.defaultKnownHosts()), stamp(options.sshConfig()));
  }

  private static String stamp(Path file) {
    if (file == null) {
      return "";
    }
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return file + "@" + attributes.lastModifiedTime().toMillis() + "/" + attributes.size() + "/" + attributes.fileKey();
    } catch (IOException e) {
      return file + "@absent";
    }
  }

  /** Whether a run in this agent would be handed a kept connection to this host (for --profile). */
  public static boolean kept(Object options, Host host) {
    RemotePool pool = active ? POOLS.get(options) : null;
    return active && pool != null && pool.holds(host);
  }
}
