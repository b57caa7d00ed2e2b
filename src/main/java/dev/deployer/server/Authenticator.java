package dev.deployer.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who is asking: users by HTTP Basic or a bearer token, hooks by their project's token or HMAC
 * signature, every secret compared in constant time. A client with too many failures in a minute
 * is not even checked until the minute has passed.
 */
final class Authenticator {
  static final int FAILED_LOGINS_PER_MINUTE = 10;

  private final Users users;
  private final RateLimiter failures = new RateLimiter();
  /** Credentials already checked, by their SHA-256: PBKDF2 is slow on purpose, status polls are many. */
  private final Map<String, Users.User> checked = new ConcurrentHashMap<>();

  Authenticator(Users users) {
    this.users = users;
  }

  /** The user an Authorization header names, or empty (and a failure counted against the client). */
  Optional<Users.User> user(String header, String client) {
    if (header == null || tooManyFailures(client)) {
      return Optional.empty();
    }
    String key = sha256(header);
    Users.User known = checked.get(key);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<Users.User> user = Optional.empty();
    if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        decoded = "";
      }
      int colon = decoded.indexOf(':');
      if (colon > 0) {
        user = users.login(decoded.substring(0, colon), decoded.substring(colon + 1));
      }
    } else if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      user = users.token(header.substring(7).trim());
    }
    if (user.isPresent()) {
      checked.put(key, user.get());
    } else {
      failures.record(client);
    }
    return user;
  }

  boolean tooManyFailures(String client) {
    return failures.exceeded(client, FAILED_LOGINS_PER_MINUTE);
  }

  /** A wrong hook token or signature counts as a failed login. */
  void failed(String client) {
    failures.record(client);
  }

  static boolean sameSecret(String expected, String given) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether an X-Signature-256 header is "sha256=" and the HMAC-SHA256 of the body with the secret. */
  static boolean signed(String secret, byte[] body, String signature) {
    return signature != null && sameSecret("sha256=" + hmac(secret, body), signature.trim());
  }

  static String hmac(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
