package dev.deployer.server;

import dev.deployer.yaml.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * API tokens for CI, apart from passwords: one {@code ROLE:name:sha256} line per token. A token
 * is 256 random bits, shown once when made; only its SHA-256 is kept, which is enough because
 * nobody guesses 256 bits (a password needs a slow hash because people choose them).
 */
public final class Tokens {
  static final String PREFIX = "dpl_";
  private static final java.util.regex.Pattern HASH = java.util.regex.Pattern.compile("sha256\\$[0-9a-f]{64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The owner of a token's SHA-256 (hex), if any: from the tokens file, or the shared database. */
  private final java.util.function.Function<String, Optional<Users.User>> byHash;

  private Tokens(java.util.function.Function<String, Optional<Users.User>> byHash) {
    this.byHash = byHash;
  }

  static Tokens in(java.util.function.Function<String, Optional<Users.User>> byHash) {
    return new Tokens(byHash);
  }

  public static Tokens load(Path file) throws IOException {
    Map<String, Users.User> byHash = new HashMap<>();
    for (Users.User user : SecretFile.read(file, HASH, "ROLE:name:sha256$... (make lines with deployer token create)")) {
      byHash.put(user.hash().substring("sha256$".length()), user);
    }
    return new Tokens(hash -> Optional.ofNullable(byHash.get(hash)));
  }

  /** Every token line of the file, for bringing them into a database. */
  static java.util.List<Users.User> read(Path file) throws IOException {
    return SecretFile.read(file, HASH, "ROLE:name:sha256$... (make lines with deployer token create)");
  }

  /** Whose token this is, if anyone's. */
  public Optional<Users.User> find(String token) {
    return byHash.apply(sha256(token));
  }

  /** Makes a token for {@code name}, replacing one of the same name; returns the token, to show once. */
  public static String create(Path file, String name, Users.Role role) throws IOException {
    String token = fresh(name);
    SecretFile.putLine(file, name, role + ":" + name + ":sha256$" + sha256(token));
    return token;
  }

  /** A new random token for {@code name}, once the name is checked. */
  static String fresh(String name) {
    if (!name.matches("[A-Za-z0-9_.@-]+")) {
      throw new ConfigException(null, "token names are letters, digits and _ . @ -");
    }
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  public static boolean revoke(Path file, String name) throws IOException {
    return SecretFile.removeLine(file, name);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
