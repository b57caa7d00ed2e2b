package dev.deployer.ssh;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How deployer connects: host key policy, the known_hosts file when the inventory names none, and
 * the timeouts.
 */
public record SshOptions(
    HostKeyChecking hostKeyChecking,
    Path defaultKnownHosts,
    Duration connectTimeout,
    Duration commandTimeout) {

  /** The options a command line gives: a host key mode, a known_hosts file or null for the default. */
  public static SshOptions of(HostKeyChecking hostKeyChecking, Path knownHosts, Duration connectTimeout,
      Duration commandTimeout) {
    return new SshOptions(hostKeyChecking,
        knownHosts != null ? knownHosts : defaults().defaultKnownHosts(), connectTimeout, commandTimeout);
  }

  public static SshOptions defaults() {
    return new SshOptions(
        HostKeyChecking.STRICT,
        Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"),
        Duration.ofSeconds(10),
        Duration.ofMinutes(30));
  }
}
