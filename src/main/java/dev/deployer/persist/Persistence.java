package dev.deployer.persist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the client and the agent agree on: whether runs persist ({@code DEPLOYER_PERSIST}), where
 * an agent's socket is, and the frames they exchange. Only java.base here: the client reads this
 * before anything else of deployer is loaded, which is what makes its start short.
 *
 * <p>An agent serves runs from one directory with one environment and one build of deployer, so
 * that a run through it sees what a run of its own would: relative paths, variables, the same
 * code. Any of these differing makes another agent (another socket name).
 */
public final class Persistence {
  /** Bumped whenever the frames change: an agent of another version is another socket. */
  static final int VERSION = 1;
  static final Duration DEFAULT = Duration.ofSeconds(60);

  // Frames from the agent: a kind byte, then an int (length of the bytes that follow, or exit code).
  static final int OUT = 1;
  static final int ERR = 2;
  static final int EXIT = 3;
  /** The run began here: from now on the client must not run it itself. */
  static final int ACCEPTED = 4;
  /** Another run is going on: the client runs this one itself. */
  static final int BUSY = 5;

  /** System properties through which the agent tells the run what the client's process knows. */
  public static final String CLIENT_START = "deployer.client.start";
  public static final String CLIENT_CONSOLE = "deployer.client.console";

  private Persistence() {}

  /**
   * How long an agent waits for the next run: {@code DEPLOYER_PERSIST} as seconds ("60", "60s",
   * "2m"); "0", "no" or "off" turn persistence off. Unset: 60 s, as Ansible's ControlPersist.
   *
   * @throws IllegalArgumentException for anything else, naming the variable
   */
  static Duration setting(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT;
    }
    String text = value.trim().toLowerCase(java.util.Locale.ROOT);
    if (text.equals("no") || text.equals("off") || text.equals("false")) {
      return Duration.ZERO;
    }
    try {
      Duration idle = text.endsWith("m") ? Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)))
          : Duration.ofSeconds(Long.parseLong(text.endsWith("s") ? text.substring(0, text.length() - 1) : text));
      if (idle.isNegative()) {
        throw new NumberFormatException("negative");
      }
      return idle;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("DEPLOYER_PERSIST='" + value + "' is not seconds (60, 90s, 5m) nor off (0, no)");
    }
  }

  /**
   * The directory of this user's agents, private to the user, or null when no safe one can be had
   * (then runs do not persist). Under $XDG_RUNTIME_DIR when there is one, else /tmp/deployer-USER.
   */
  static Path directory() {
    String runtime = System.getenv("XDG_RUNTIME_DIR");
    return privateDirectory(runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))
        ? Path.of(runtime, "deployer") : Path.of(System.getProperty("java.io.tmpdir"), "deployer-" + System.getProperty("user.name")));
  }

  /** {@code dir}, made when missing, if it is a directory of this user's that only this user may enter; else null. */
  static Path privateDirectory(Path dir) {
    Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(owner));
      }
      // Whoever can reach the socket can run plays as this user: the directory must be ours alone.
      boolean safe = Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
          && Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))
          && Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(owner);
      return safe ? dir : null;
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  /**
   * The socket of the agent for this directory, environment and build of deployer: a hash of them,
   * so that nothing of the environment (which may hold secrets) is written anywhere.
   */
  static Path socket(Path dir, String classPath, String cwd, Map<String, String> env, long maxHeap) {
    Map<String, String> sorted = new TreeMap<>(env);
    // The shell's own bookkeeping, different from one command to the next, says nothing of the run.
    sorted.remove("_");
    sorted.remove("OLDPWD");
    StringBuilder identity = new StringBuilder().append(VERSION).append('\0').append(System.getProperty("java.home"))
        .append('\0').append(cwd).append('\0').append(maxHeap).append('\0');
    for (String entry : classPath.split(java.io.File.pathSeparator)) {
      Path path = Path.of(entry);
      try {
        identity.append(path.toAbsolutePath()).append('@').append(Files.getLastModifiedTime(path).toMillis())
            .append('/').append(Files.size(path)).append('\0');
      } catch (IOException e) {
        identity.append(entry).append('\0');
      }
    }
    sorted.forEach((name, value) -> identity.append(name).append('=').append(value).append('\0'));
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.toString().getBytes(StandardCharsets.UTF_8));
      return dir.resolve("agent-" + HexFormat.of().formatHex(hash, 0, 16) + ".sock");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
