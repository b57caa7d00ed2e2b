package dev.deployer.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.deployer.inventory.Host;
import java.util.List;

/**
 * Opens one SSH session per host with JSch (the maintained mwiede fork), the way OpenSSH would:
 * settings from the inventory, then the ssh config file; keys from ssh-agent and key files;
 * through bastions (ProxyJump), each hop's host key checked, one session per bastion shared by
 * every host behind it. A host whose {@code ansible_connection} is {@code local} is this machine
 * ({@link LocalRemote}).
 */
public final class SshConnector {
  private final SshOptions options;
  private final Bastions bastions = new Bastions(this::open);

  public SshConnector(SshOptions options) {
    this.options = options;
  }

  /** A host with {@code ansible_connection: local} is this machine: no SSH at all. */
  public Remote connect(Host host) {
    Object connection = host.vars().get("ansible_connection");
    if ("local".equals(String.valueOf(connection))) {
      return new LocalRemote(host.name(), options.commandTimeout());
    }
    if (connection != null && !"ssh".equals(String.valueOf(connection))) {
      throw new UnreachableException(host.name() + ": ansible_connection '" + connection + "' is not supported (ssh or local)");
    }
    SshTarget target = SshTarget.of(host, options);
    if (target.jumps().isEmpty()) {
      return new SshRemote(host, open(target, null), options.commandTimeout(), () -> { });
    }
    Bastions.Lease lease;
    try {
      lease = bastions.acquire(target.jumps());
    } catch (UnreachableException e) {
      throw new UnreachableException("cannot reach " + host.name() + " through its bastion: " + e.getMessage(), e);
    }
    try {
      return new SshRemote(host, open(target, lease.session()), options.commandTimeout(), lease::release);
    } catch (RuntimeException e) {
      lease.release();
      throw e;
    }
  }

  /** Logs in to one target, directly or through a bastion's session. */
  private Session open(SshTarget target, Session through) {
    HostKeyVerifier verifier;
    Session session;
    List<String> tried;
    try {
      JSch jsch = new JSch();
      tried = Identities.offer(jsch, target, options);
      verifier = new HostKeyVerifier(jsch, target.knownHosts(), target.hostKeyChecking());
      jsch.setHostKeyRepository(verifier);
      session = jsch.getSession(target.user(), target.address(), target.port());
      session.setConfig("StrictHostKeyChecking", "yes");
      session.setConfig("PreferredAuthentications", "publickey");
      session.setServerAliveInterval(15_000);
      session.setServerAliveCountMax(4);
      if (through != null) {
        session.setProxy(new JumpProxy(through));
      }
    } catch (JSchException e) {
      throw new UnreachableException("cannot set up SSH to " + target.describe() + ": " + e.getMessage(), e);
    }
    try {
      session.connect((int) options.connectTimeout().toMillis());
    } catch (JSchException e) {
      String refusal = verifier.refusal(target.address());
      if (refusal != null) {
        throw new UnreachableException(target.name().startsWith("bastion") ? target.name() + ": " + refusal : refusal, e);
      }
      throw new UnreachableException(explain(target, tried, e), e);
    }
    return session;
  }

  private String explain(SshTarget target, List<String> tried, JSchException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("Auth fail") || message.contains("Auth cancel")) {
      return "no identity accepted by " + target.describe() + " for " + target.user()
          + " (tried: " + (tried.isEmpty() ? "no keys: none named, none in ~/.ssh, no ssh-agent" : String.join(", ", tried)) + ")";
    }
    Throwable cause = e.getCause();
    String reason = cause != null && cause.getMessage() != null ? cause.getMessage() : message;
    if (message.contains("timeout") || reason.contains("timed out")) {
      reason = "no answer within " + options.connectTimeout().toSeconds() + "s";
    }
    return "cannot connect to " + target.describe() + ": " + reason;
  }
}
