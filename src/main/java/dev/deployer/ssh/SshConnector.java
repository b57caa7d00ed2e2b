package dev.deployer.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.deployer.inventory.Host;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Opens one SSH session per host with JSch (the maintained mwiede fork). */
public final class SshConnector {
  private final SshOptions options;

  public SshConnector(SshOptions options) {
    this.options = options;
  }

  public SshRemote connect(Host host) {
    Path knownHosts = host.knownHosts() != null ? host.knownHosts() : options.defaultKnownHosts();
    HostKeyVerifier verifier;
    Session session;
    try {
      JSch jsch = new JSch();
      for (Path key : identities(host)) {
        jsch.addIdentity(key.toString());
      }
      verifier = new HostKeyVerifier(jsch, knownHosts, options.hostKeyChecking());
      jsch.setHostKeyRepository(verifier);
      session = jsch.getSession(host.user(), host.address(), host.port());
      session.setConfig("StrictHostKeyChecking", "yes");
      session.setConfig("PreferredAuthentications", "publickey");
      session.setServerAliveInterval(15_000);
      session.setServerAliveCountMax(4);
    } catch (JSchException e) {
      throw new UnreachableException("cannot set up SSH to " + host.describe() + ": " + e.getMessage(), e);
    }
    try {
      session.connect((int) options.connectTimeout().toMillis());
    } catch (JSchException e) {
      String refusal = verifier.refusal(host.address());
      if (refusal != null) {
        throw new UnreachableException(refusal, e);
      }
      throw new UnreachableException(explain(host, e), e);
    }
    return new SshRemote(host, session, options.commandTimeout());
  }

  private static List<Path> identities(Host host) {
    if (host.identityFile() != null) {
      if (!Files.isReadable(host.identityFile())) {
        throw new UnreachableException("identity file " + host.identityFile() + " for " + host.name() + " cannot be read");
      }
      return List.of(host.identityFile());
    }
    Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
    return List.of("id_ed25519", "id_ecdsa", "id_rsa").stream()
        .map(ssh::resolve)
        .filter(Files::isReadable)
        .toList();
  }

  private String explain(Host host, JSchException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("Auth fail") || message.contains("Auth cancel")) {
      return "login as " + host.user() + " on " + host.describe() + " was refused (key "
          + (host.identityFile() == null ? "~/.ssh/id_*" : host.identityFile()) + ")";
    }
    Throwable cause = e.getCause();
    String reason = cause != null && cause.getMessage() != null ? cause.getMessage() : message;
    if (message.contains("timeout") || reason.contains("timed out")) {
      reason = "no answer within " + options.connectTimeout().toSeconds() + "s";
    }
    return "cannot connect to " + host.describe() + ": " + reason;
  }
}
