package dev.deployer.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who is asking: a user by HTTP Basic, or an API token as a bearer. Failed logins are limited
 * three ways, each per minute: for one user from one client (that user is refused there, even
 * with the right password, while other users from the same client are not); for one client
 * across names; and for one user across clients. Credentials already proven skip the last two,
 * so a working CI job is not locked out by someone else's guessing.
 */
final class Authenticator {
  static final int FAILURES_PER_USER_AND_CLIENT = 10;
  static final int FAILURES_PER_CLIENT = 50;
  static final int FAILURES_PER_USER = 100;
  private static final int PROVEN_MAX = 512;
  private static final long PROVEN_NANOS = Duration.ofMinutes(15).toNanos();

  /** How a login went. */
  sealed interface Outcome {
    record Admitted(Users.User user) implements Outcome {}

    record Refused() implements Outcome {}

    record Throttled() implements Outcome {}
  }

  private record Proven(Users.User user, long at) {}

  private final Users users;
  private final Tokens tokens;
  private final RateLimiter failures = new RateLimiter(Duration.ofMinutes(1));
  /**
   * Credentials already checked, by their SHA-256, for a while: PBKDF2 is slow on purpose and
   * status polls are many. Bounded, oldest out first.
   */
  private final Map<String, Proven> proven = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Proven> eldest) {
      return size() > PROVEN_MAX;
    }
  };

  Authenticator(Users users, Tokens tokens) {
    this.users = users;
    this.tokens = tokens;
  }

  Outcome login(String header, String client) {
    if (header == null || header.isBlank()) {
      return new Outcome.Refused();
    }
    String name;
    String password = null;
    String token = null;
    if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        decoded = "";
      }
      int colon = decoded.indexOf(':');
      name = colon > 0 ? decoded.substring(0, colon) : "";
      password = colon > 0 ? decoded.substring(colon + 1) : "";
    } else if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      name = "(token)";
      token = header.substring(7).trim();
    } else {
      return new Outcome.Refused();
    }
    String pair = "pair " + client + " " + name;
    if (failures.exceeded(pair, FAILURES_PER_USER_AND_CLIENT)) {
      return new Outcome.Throttled();
    }
    String key = Tokens.sha256(header);
    Users.User known = provenUser(key);
    // Proven lately, and still so where users and tokens are kept: a token revoked or a password
    // changed in the shared database counts at once (a lookup, not the password hash's work).
    if (known != null && (token != null ? tokens.find(token).isPresent() : users.stillHolds(known))) {
      return new Outcome.Admitted(known);
    }
    if (failures.exceeded("client " + client, FAILURES_PER_CLIENT) || failures.exceeded("user " + name, FAILURES_PER_USER)) {
      return new Outcome.Throttled();
    }
    Optional<Users.User> user = token != null ? tokens.find(token) : users.login(name, password);
    if (user.isEmpty()) {
      failures.record(pair);
      failures.record("client " + client);
      failures.record("user " + name);
      return new Outcome.Refused();
    }
    synchronized (proven) {
      proven.put(key, new Proven(user.get(), System.nanoTime()));
    }
    return new Outcome.Admitted(user.get());
  }

  private Users.User provenUser(String key) {
    synchronized (proven) {
      Proven entry = proven.get(key);
      if (entry == null) {
        return null;
      }
      if (System.nanoTime() - entry.at() > PROVEN_NANOS) {
        proven.remove(key);
        return null;
      }
      return entry.user();
    }
  }
}
