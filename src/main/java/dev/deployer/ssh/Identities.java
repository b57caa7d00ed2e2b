package dev.deployer.ssh;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import com.jcraft.jsch.SSHAgentConnector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;

/**
 * The keys a login offers, as OpenSSH offers them: ssh-agent's first (unless IdentitiesOnly),
 * then the key files named, or the user's default ones. An encrypted key file is opened with the
 * passphrase given, or skipped; what was tried is kept for the message when no key is accepted.
 */
final class Identities {
  private final List<String> tried = new ArrayList<>();

  /** Adds the target's keys to {@code jsch}; returns what was tried, for an error message. */
  static List<String> offer(JSch jsch, SshTarget target, SshOptions options) throws JSchException {
    return new Identities().add(jsch, target, options);
  }

  private List<String> add(JSch jsch, SshTarget target, SshOptions options) throws JSchException {
    for (Path file : files(target)) {
      addFile(jsch, file, options.keyPassphrase());
    }
    if (options.agentSocket() != null && !target.identitiesOnly()) {
      IdentityRepository agent = agent(options.agentSocket());
      if (agent != null) {
        Vector<Identity> keys = agent.getIdentities();
        tried.add(0, "agent keys " + keys.stream().map(Identity::getName).toList());
        jsch.setIdentityRepository(new Both(agent, jsch.getIdentityRepository()));
      }
    }
    return List.copyOf(tried);
  }

  private static List<Path> files(SshTarget target) {
    if (!target.identityFiles().isEmpty()) {
      for (Path file : target.identityFiles()) {
        if (!Files.isReadable(file)) {
          throw new UnreachableException("identity file " + file + " for " + target.name() + " cannot be read");
        }
      }
      return target.identityFiles();
    }
    Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
    return List.of("id_ed25519", "id_ecdsa", "id_rsa").stream().map(ssh::resolve).filter(Files::isReadable).toList();
  }

  private void addFile(JSch jsch, Path file, String passphrase) throws JSchException {
    KeyPair pair = KeyPair.load(jsch, file.toString());
    boolean encrypted = pair.isEncrypted();
    pair.dispose();
    if (!encrypted) {
      jsch.addIdentity(file.toString());
      tried.add("file " + file);
    } else if (passphrase == null) {
      tried.add("file " + file + " (encrypted: give its passphrase with --ask-key-passphrase or DEPLOYER_KEY_PASSPHRASE,"
          + " or add it to ssh-agent)");
    } else {
      try {
        jsch.addIdentity(file.toString(), passphrase.getBytes(StandardCharsets.UTF_8));
        tried.add("file " + file);
      } catch (JSchException e) {
        tried.add("file " + file + " (the passphrase given does not open it)");
      }
    }
  }

  private IdentityRepository agent(Path socket) {
    try {
      AgentIdentityRepository agent = new AgentIdentityRepository(new SSHAgentConnector(socket));
      if (agent.getStatus() == IdentityRepository.RUNNING) {
        return agent;
      }
      tried.add("ssh-agent at " + socket + " (not answering)");
    } catch (AgentProxyException | RuntimeException e) {
      tried.add("ssh-agent at " + socket + " (" + e.getMessage() + ")");
    }
    return null;
  }

  /** The agent's keys, then the files'. */
  private record Both(IdentityRepository agent, IdentityRepository files) implements IdentityRepository {
    @Override
    public String getName() {
      return "ssh-agent and key files";
    }

    @Override
    public int getStatus() {
      return RUNNING;
    }

    @Override
    public Vector<Identity> getIdentities() {
      Vector<Identity> all = new Vector<>(agent.getIdentities());
      all.addAll(files.getIdentities());
      return all;
    }

    @Override
    public boolean add(byte[] identity) {
      return files.add(identity);
    }

    @Override
    public boolean remove(byte[] blob) {
      return files.remove(blob);
    }

    @Override
    public void removeAll() {
      files.removeAll();
    }
  }
}
