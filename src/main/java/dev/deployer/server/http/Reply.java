package dev.deployer.server.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer: a status, a body (a {@code String} is sent as text, anything else as JSON) and
 * extra headers.
 */
public record Reply(int status, Object body, Map<String, String> headers) {
  public Reply {
    headers = Map.copyOf(headers);
  }

  public static Reply json(int status, Object body) {
    return new Reply(status, body, Map.of());
  }

  public static Reply text(int status, String body) {
    return new Reply(status, body, Map.of());
  }

  public static Reply error(int status, String message) {
    return new Reply(status, Map.of("error", message), Map.of());
  }

  /** The same answer with one more header. */
  public Reply with(String header, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(header, value);
    return new Reply(status, body, more);
  }
}
