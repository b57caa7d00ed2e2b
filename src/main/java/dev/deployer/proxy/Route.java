package dev.deployer.proxy;

import dev.deployer.docker.ProxySettings;

/**
 * One service's route on the host's proxy: requests to {@code port} (for {@code host}, or every
 * name when null) go to {@code upstream}, the live container's address and port on the Docker
 * network.
 *
 * @param tls "off", "internal" or "acme"
 * @param email the ACME account for {@code tls: acme}, else null
 */
public record Route(String service, int port, String host, String tls, String email, String upstream) {

  public static Route of(String service, ProxySettings settings, String upstream) {
    return new Route(service, settings.port(), settings.host(), settings.tls(), settings.email(), upstream);
  }

  /** The same route to another container. */
  public Route to(String newUpstream) {
    return new Route(service, port, host, tls, email, newUpstream);
  }

  /** Same port, host and TLS as the settings ask: only the upstream may differ. */
  public boolean matches(ProxySettings settings) {
    return port == settings.port() && java.util.Objects.equals(host, settings.host()) && tls.equals(settings.tls())
        && java.util.Objects.equals(email, settings.email());
  }

  /** "quotes.example.com:18090", or ":18090" when it takes every name. */
  public String address() {
    return (host == null ? "" : host) + ":" + port;
  }
}
