package dev.deployer.docker;

import dev.deployer.yaml.Suggestions;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code proxy:} of a service: the host's proxy takes its requests on {@code port} (for
 * {@code host} only, when given) and passes them to the container's {@code appPort} over the
 * Docker network. Part of the container's configuration, so a rollback brings back its route too.
 *
 * @param host the Host name routed to this service, or null for every name on the port
 * @param healthPath what the proxy asks the new container for, before it sends it any request
 * @param drainSeconds how long requests still running on the old container get to finish
 * @param tls "off", "internal" (Caddy's own certificate authority) or "acme" (a public one)
 * @param email the ACME account's address, for {@code tls: acme}
 */
public record ProxySettings(int port, int appPort, String host, String healthPath, int drainSeconds, String tls,
    String email) {

  private static final Set<String> KEYS = Set.of("port", "app_port", "host", "health_path", "drain_timeout", "tls", "email", "image");
  private static final Set<String> TLS = Set.of("off", "internal", "acme");
  private static final Pattern HOST = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

  /**
   * Reads a {@code proxy:} mapping; {@code complain} turns a problem into an error naming the
   * argument. Its {@code image} (the proxy's own, should the host have none) is not the service's
   * configuration, and the caller reads it.
   */
  public static ProxySettings parse(Map<String, Object> raw, Function<String, RuntimeException> complain) {
    for (String key : raw.keySet()) {
      if (!KEYS.contains(key)) {
        throw complain.apply("has an unknown key '" + key + "'" + Suggestions.didYouMean(key, KEYS));
      }
    }
    int port = port(raw, "port", complain);
    int appPort = port(raw, "app_port", complain);
    String host = text(raw, "host");
    if (host != null && !HOST.matcher(host).matches()) {
      throw complain.apply("host '" + host + "' is not a host name (letters, digits, '-' and dots; '*.' in front for a wildcard)");
    }
    String path = text(raw, "health_path");
    if (path == null) {
      path = "/";
    } else if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == 127)) {
      throw complain.apply("health_path '" + path + "' must start with / and hold no spaces");
    }
    int drain = raw.get("drain_timeout") == null ? 30 : seconds(text(raw, "drain_timeout"), complain);
    String tls = text(raw, "tls");
    tls = tls == null || tls.equals("false") ? "off" : tls;
    if (!TLS.contains(tls)) {
      throw complain.apply("tls '" + tls + "' is not one of off, internal, acme");
    }
    String email = text(raw, "email");
    if (!tls.equals("off") && host == null) {
      throw complain.apply("tls: " + tls + " needs a host: the certificate is made for that name");
    }
    if (tls.equals("acme") && (email == null || !email.contains("@"))) {
      throw complain.apply("tls: acme needs an email: the certificate authority's account address");
    }
    return new ProxySettings(port, appPort, host, path, drain, tls, email);
  }

  /** Checks a {@code proxy:} mapping as written, for the argument declarations. */
  public static void check(Object raw, Function<String, RuntimeException> complain) {
    @SuppressWarnings("unchecked")
    Map<String, Object> settings = (Map<String, Object>) raw;
    parse(settings, complain);
  }

  /** What the route is called in reports: "quotes.example.com:18090", or ":18090" for every name. */
  public String address() {
    return (host == null ? "" : host) + ":" + port;
  }

  private static String text(Map<String, Object> raw, String key) {
    Object value = raw.get(key);
    return value == null ? null : value.toString().trim();
  }

  private static int port(Map<String, Object> raw, String key, Function<String, RuntimeException> complain) {
    String text = text(raw, key);
    if (text == null) {
      throw complain.apply("needs " + key);
    }
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw complain.apply(key + " '" + text + "' is not a port (1-65535)");
  }

  private static int seconds(String text, Function<String, RuntimeException> complain) {
    String t = text.toLowerCase();
    try {
      if (t.endsWith("m")) {
        return Math.multiplyExact(Integer.parseInt(t.substring(0, t.length() - 1)), 60);
      }
      int seconds = Integer.parseInt(t.endsWith("s") ? t.substring(0, t.length() - 1) : t);
      if (seconds >= 0) {
        return seconds;
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // said below
    }
    throw complain.apply("drain_timeout '" + text + "' is not a duration (write 30, 30s or 2m)");
  }
}
