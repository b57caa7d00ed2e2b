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

  public static SshOptions defaults() {
    return new SshOptions(
        HostKeyChecking.STRICT,
        Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"),
        Duration.ofSeconds(10),
        Duration.ofMinutes(30));
  }
}
