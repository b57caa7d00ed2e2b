package dev.deployer.server;

import dev.deployer.yaml.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The users file: one {@code ROLE:username:hash} per line, roles ADMIN and USER, hashes salted
 * PBKDF2 ({@code pbkdf2-sha256$iterations$salt$hash}) at OWASP's 600,000 iterations. Passwords
 * are checked in constant time; a hash made with fewer iterations still verifies, and is made
 * again at today's count on that user's next good login. IPD's users files ({@code
 * ROLE:username:sha256hex}, unsalted) are read too, with a warning, and each such hash is replaced
 * the same way, or at once by {@code deployer passwd --upgrade --passwords FILE}. With a shared
 * PostgreSQL store the users live in its {@code users} table instead ({@link Accounts}).
 */
public final class Users {
  public enum Role { ADMIN, USER }

  public record User(String name, Role role, String hash) {}

  static final int ITERATIONS = 600_000;
  private static final java.util.regex.Pattern HASH = java.util.regex.Pattern.compile("pbkdf2-sha256\\$.*|[0-9a-fA-F]{64}");
  /** IPD's hash: the password's SHA-256 in hex, unsalted. */
  private static final java.util.regex.Pattern IPD_HASH = java.util.regex.Pattern.compile("[0-9a-fA-F]{64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Where users are kept: the users file (read at start), or the shared database (read at each login). */
  interface Source {
    Optional<User> find(String name);

    void write(User user) throws IOException;
  }

  private final Source source;

  private Users(Source source) {
    this.source = source;
  }

  public static Users load(Path file) throws IOException {
    Map<String, User> users = new java.util.concurrent.ConcurrentHashMap<>();
    for (User user : SecretFile.read(file, HASH, "ROLE:username:pbkdf2-sha256$... (make lines with deployer passwd)")) {
      users.put(user.name(), user);
    }
    List<String> weak = weak(users.values());
    if (!weak.isEmpty()) {
      org.slf4j.LoggerFactory.getLogger("deployer.users").warn("{} has IPD's unsalted SHA-256 hashes for {}: each is"
          + " replaced at that user's next good login, or now with deployer passwd --upgrade --passwords FILE", file, weak);
    }
    return new Users(new Source() {
      @Override
      public Optional<User> find(String name) {
        return Optional.ofNullable(users.get(name));
      }

      @Override
      public void write(User user) throws IOException {
        Users.write(file, user.name(), user.role(), user.hash());
        users.put(user.name(), user);
      }
    });
  }

  /** The users of a shared database ({@link Accounts}). */
  static Users in(Source source) {
    return new Users(source);
  }

  /** The users whose hash is IPD's. */
  public static List<String> weak(java.util.Collection<User> users) {
    return users.stream().filter(user -> IPD_HASH.matcher(user.hash()).matches()).map(User::name).toList();
  }

  /** Everyone in the file, for deployer passwd --upgrade. */
  public static List<User> read(Path file) throws IOException {
    return SecretFile.read(file, HASH, "ROLE:username:pbkdf2-sha256$... or IPD's ROLE:username:sha256hex");
  }

  /** Replaces an IPD hash with today's, when the password is the one it was made from. */
  public static boolean upgrade(Path file, User user, String password) throws IOException {
    if (!IPD_HASH.matcher(user.hash()).matches() || !matches(password, user.hash())) {
      return false;
    }
    write(file, user.name(), user.role(), hash(password));
    return true;
  }

  /** The user whose name and password match, if any. */
  public Optional<User> login(String name, String password) {
    Optional<User> found = source.find(name);
    if (found.isEmpty()) {
      // Same work for unknown names, so timing does not tell which names exist.
      matches(password, "pbkdf2-sha256$" + ITERATIONS + "$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
      return Optional.empty();
    }
    User user = found.get();
    if (!matches(password, user.hash())) {
      return Optional.empty();
    }
    if (iterations(user.hash()) < ITERATIONS) {
      rehash(user, password);
    }
    return Optional.of(user);
  }

  /** Whether the user is still kept with this role and hash (not removed, its password not changed). */
  public boolean stillHolds(User user) {
    return source.find(user.name()).filter(kept -> kept.equals(user)).isPresent();
  }

  /** Makes the user's hash again at today's iterations, where the user is kept. */
  private synchronized void rehash(User user, String password) {
    Optional<User> current = source.find(user.name());
    if (current.isEmpty() || iterations(current.get().hash()) >= ITERATIONS) {
      return;
    }
    try {
      source.write(new User(user.name(), user.role(), hash(password)));
    } catch (IOException e) {
      // The old hash still verifies; the next good login tries again.
      org.slf4j.LoggerFactory.getLogger("deployer.users").warn("could not re-hash {}'s password: {}",
          user.name(), e.getMessage());
    }
  }

  static int iterations(String stored) {
    String[] parts = stored.split("\\$");
    try {
      return parts.length == 4 ? Integer.parseInt(parts[1]) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public static String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return "pbkdf2-sha256$" + ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$"
        + Base64.getEncoder().encodeToString(derive(password, salt, ITERATIONS));
  }

  static boolean matches(String password, String stored) {
    if (IPD_HASH.matcher(stored).matches()) {
      return MessageDigest.isEqual(sha256Hex(password).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
          stored.toLowerCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    String[] parts = stored.split("\\$");
    if (parts.length != 4) {
      return false;
    }
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    byte[] actual = derive(password, Base64.getDecoder().decode(parts[2]), Integer.parseInt(parts[1]));
    return MessageDigest.isEqual(expected, actual);
  }

  private static String sha256Hex(String password) {
    try {
      return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(password.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Adds or replaces a user's line, keeping every other line as it was. */
  public static void put(Path file, String name, Role role, String password) throws IOException {
    checkName(name);
    write(file, name, role, hash(password));
  }

  static void checkName(String name) {
    if (!name.matches("[A-Za-z0-9_.@-]+")) {
      throw new ConfigException(null, "user names are letters, digits and _ . @ -");
    }
  }

  private static void write(Path file, String name, Role role, String hash) throws IOException {
    SecretFile.putLine(file, name, role + ":" + name + ":" + hash);
  }
}
