package dev.deployer.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a host's key is trusted, and remembers why not, so the user is told "the key
 * changed" or "the host is not in known_hosts" rather than JSch's "reject HostKey".
 */
final class HostKeyVerifier implements HostKeyRepository {
  /** Hosts connect in parallel; appends to one known_hosts file must not interleave. */
  private static final Map<Path, Object> FILE_LOCKS = new ConcurrentHashMap<>();

  private final HostKeyRepository known;
  private final Path file;
  private final HostKeyChecking policy;
  private volatile int outcome = OK;
  private volatile String presentedType = "";
  /** The key types known_hosts has for the host, when it offered another one. */
  private volatile String knownTypes = "";

  HostKeyVerifier(JSch jsch, Path file, HostKeyChecking policy) throws JSchException {
    this.file = file;
    this.policy = policy;
    if (Files.exists(file)) {
      jsch.setKnownHosts(file.toString());
    }
    this.known = jsch.getHostKeyRepository();
  }

  @Override
  public int check(String host, byte[] key) {
    int result = known.check(host, key);
    presentedType = keyType(key);
    HostKey[] other = result == NOT_INCLUDED ? known.getHostKey(host, null) : null;
    if (other != null && other.length > 0) {
      // Known, but with a key of another type: as much a changed key as a different key of one type.
      result = CHANGED;
      knownTypes = String.join(", ", java.util.Arrays.stream(other).map(HostKey::getType).distinct().toList());
    }
    outcome = result;
    if (policy == HostKeyChecking.OFF) {
      return OK;
    }
    if (result == NOT_INCLUDED && policy == HostKeyChecking.ACCEPT_NEW) {
      append(host, key);
      return OK;
    }
    return result;
  }

  /** Why the last check refused, as a sentence, or null when it did not. */
  String refusal(String address) {
    if (policy == HostKeyChecking.OFF || outcome == OK) {
      return null;
    }
    if (outcome == CHANGED && !knownTypes.isEmpty()) {
      return "host " + address + " offers a " + presentedType + " key, but " + file + " knows it by " + knownTypes
          + " (its keys changed, or someone is in the middle); refused. If the host was rebuilt, remove its lines"
          + " (ssh-keygen -R " + address + " -f " + file + ") and connect again";
    }
    if (outcome == CHANGED) {
      return "host key for " + address + " does not match the one in " + file
          + " (it changed, or someone is in the middle); refused. If the host was rebuilt, remove its line"
          + " (ssh-keygen -R " + address + " -f " + file + ") and connect again";
    }
    if (policy == HostKeyChecking.STRICT) {
      return "host " + address + " is not in " + file + " (" + presentedType
          + " key offered); refused. Add it (ssh-keyscan " + address + " >> " + file
          + ") or run with --host-key-checking accept-new";
    }
    return null;
  }

  private void append(String host, byte[] key) {
    String line = host + " " + keyType(key) + " " + Base64.getEncoder().encodeToString(key) + "\n";
    synchronized (FILE_LOCKS.computeIfAbsent(file.toAbsolutePath(), p -> new Object())) {
      try {
        if (file.getParent() != null) {
          Files.createDirectories(file.getParent());
        }
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot add " + host + " to " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** The key type is the first string in the SSH wire encoding of the key. */
  private static String keyType(byte[] key) {
    if (key.length < 4) {
      return "unknown";
    }
    int length = ((key[0] & 0xff) << 24) | ((key[1] & 0xff) << 16) | ((key[2] & 0xff) << 8) | (key[3] & 0xff);
    if (length <= 0 || length > key.length - 4) {
      return "unknown";
    }
    return new String(key, 4, length, StandardCharsets.US_ASCII);
  }

  @Override
  public void add(HostKey hostkey, UserInfo ui) {
    known.add(hostkey, ui);
  }

  @Override
  public void remove(String host, String type) {
    known.remove(host, type);
  }

  @Override
  public void remove(String host, String type, byte[] key) {
    known.remove(host, type, key);
  }

  @Override
  public String getKnownHostsRepositoryID() {
    return file.toString();
  }

  @Override
  public HostKey[] getHostKey() {
    return known.getHostKey();
  }

  @Override
  public HostKey[] getHostKey(String host, String type) {
    return known.getHostKey(host, type);
  }
}
