package dev.deployer.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How deployer connects: host key policy, the known_hosts file when the inventory names none, the
 * timeouts, the ssh config file, ssh-agent's socket, and the passphrase of encrypted key files.
 *
 * @param sshConfig an OpenSSH config file, or null for none
 * @param agentSocket ssh-agent's socket ($SSH_AUTH_SOCK), or null for no agent
 * @param keyPassphrase the passphrase for encrypted key files, or null (such keys are skipped)
 */
public record SshOptions(
    HostKeyChecking hostKeyChecking,
    Path defaultKnownHosts,
    Duration connectTimeout,
    Duration commandTimeout,
    Path sshConfig,
    Path agentSocket,
    String keyPassphrase) {

  @Override
  public String toString() {
    // The passphrase never reaches a log or a report, not even through a record's toString.
    return "SshOptions[" + hostKeyChecking + ", " + defaultKnownHosts + ", " + sshConfig + ", agent " + agentSocket + "]";
  }

  /** The options a command line gives: a host key mode, a known_hosts file or null for the default. */
  public static SshOptions of(HostKeyChecking hostKeyChecking, Path knownHosts, Duration connectTimeout,
      Duration commandTimeout) {
    SshOptions defaults = defaults();
    return new SshOptions(hostKeyChecking, knownHosts != null ? knownHosts : defaults.defaultKnownHosts(),
        connectTimeout, commandTimeout, defaults.sshConfig(), defaults.agentSocket(), defaults.keyPassphrase());
  }

  /** Strict host keys, ~/.ssh/known_hosts and ~/.ssh/config, $SSH_AUTH_SOCK, $DEPLOYER_KEY_PASSPHRASE. */
  public static SshOptions defaults() {
    Path home = Path.of(System.getProperty("user.home"), ".ssh");
    String agent = System.getenv("SSH_AUTH_SOCK");
    return new SshOptions(
        HostKeyChecking.STRICT,
        home.resolve("known_hosts"),
        Duration.ofSeconds(10),
        Duration.ofMinutes(30),
        Files.exists(home.resolve("config")) ? home.resolve("config") : null,
        agent == null || agent.isBlank() ? null : Path.of(agent),
        System.getenv("DEPLOYER_KEY_PASSPHRASE"));
  }

  public SshOptions withSshConfig(Path file) {
    return new SshOptions(hostKeyChecking, defaultKnownHosts, connectTimeout, commandTimeout, file, agentSocket, keyPassphrase);
  }

  public SshOptions withKeyPassphrase(String passphrase) {
    return new SshOptions(hostKeyChecking, defaultKnownHosts, connectTimeout, commandTimeout, sshConfig, agentSocket, passphrase);
  }
}
