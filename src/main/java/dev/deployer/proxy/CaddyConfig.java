package dev.deployer.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The routes of the host's proxy as Caddy's JSON configuration, and back. Caddy's own saved
 * configuration is the one record of the routes (nothing beside it can disagree with what the
 * proxy does): each port is a server named {@code deployer-PORT}, each service a route whose
 * {@code @id} is {@code deployer-SERVICE}.
 */
public final class CaddyConfig {
  /** Where the admin API listens: a socket in the proxy's volume, reachable only through docker exec. */
  public static final String ADMIN = "unix//config/admin.sock";
  /**
   * How long Caddy keeps an idle connection to a container: short, so that once a route is
   * switched the old container's connections end soon after its last request, and its drain is seen.
   */
  static final String UPSTREAM_IDLE = "2s";
  private static final String SERVER_PREFIX = "deployer-";
  private static final String ROUTE_PREFIX = "deployer-";
  private static final ObjectMapper JSON = new ObjectMapper();

  private CaddyConfig() {}

  /** The configuration the proxy starts with before any route: only where its admin API listens. */
  public static String initial() {
    ObjectNode config = JSON.createObjectNode();
    config.putObject("admin").put("listen", ADMIN);
    return config.toString();
  }

  /**
   * The routes in a configuration deployer loaded, by service. Servers and routes it did not make
   * are left out (and left out of the next configuration too: the proxy is deployer's).
   */
  public static Map<String, Route> routes(JsonNode config) {
    Map<String, Route> routes = new TreeMap<>();
    Map<String, String[]> tlsBySubject = tlsPolicies(config);
    config.path("apps").path("http").path("servers").fields().forEachRemaining(server -> {
      if (!server.getKey().startsWith(SERVER_PREFIX)) {
        return;
      }
      int port;
      try {
        port = Integer.parseInt(server.getKey().substring(SERVER_PREFIX.length()));
      } catch (NumberFormatException e) {
        return;
      }
      for (JsonNode route : server.getValue().path("routes")) {
        String id = route.path("@id").asText("");
        if (!id.startsWith(ROUTE_PREFIX)) {
          continue;
        }
        String service = id.substring(ROUTE_PREFIX.length());
        JsonNode hosts = route.path("match").path(0).path("host");
        String host = hosts.isArray() && hosts.size() > 0 ? hosts.get(0).asText() : null;
        String upstream = route.path("handle").path(0).path("upstreams").path(0).path("dial").asText("");
        String[] tls = host == null ? null : tlsBySubject.get(host);
        routes.put(service, new Route(service, port, host, tls == null ? "off" : tls[0], tls == null ? null : tls[1], upstream));
      }
    });
    return routes;
  }

  private static Map<String, String[]> tlsPolicies(JsonNode config) {
    Map<String, String[]> bySubject = new TreeMap<>();
    for (JsonNode policy : config.path("apps").path("tls").path("automation").path("policies")) {
      JsonNode issuer = policy.path("issuers").path(0);
      String module = issuer.path("module").asText();
      String[] tls = {module.equals("internal") ? "internal" : "acme", issuer.path("email").isMissingNode() ? null : issuer.path("email").asText()};
      policy.path("subjects").forEach(subject -> bySubject.put(subject.asText(), tls));
    }
    return bySubject;
  }

  /**
   * Checks that a route can join the others: one service per name and port, and a port either TLS
   * or plain HTTP for all its services. Returns the problem, or null.
   */
  public static String conflict(Map<String, Route> routes, Route wanted) {
    for (Route other : routes.values()) {
      if (other.service().equals(wanted.service()) || other.port() != wanted.port()) {
        continue;
      }
      if (java.util.Objects.equals(other.host(), wanted.host())) {
        return "port " + wanted.port() + (wanted.host() == null ? " (every host name)" : " for " + wanted.host())
            + " is already the route of " + other.service();
      }
      if (other.tls().equals("off") != wanted.tls().equals("off")) {
        return "port " + wanted.port() + " serves " + other.service() + " with tls: " + other.tls()
            + "; one port is either TLS or plain HTTP for every service on it (this one asks tls: " + wanted.tls() + ")";
      }
    }
    return null;
  }

  /** The whole configuration for these routes. */
  public static String render(Map<String, Route> routes) {
    ObjectNode config = JSON.createObjectNode();
    config.putObject("admin").put("listen", ADMIN);
    ObjectNode apps = config.putObject("apps");
    ObjectNode servers = apps.putObject("http").putObject("servers");
    Map<Integer, List<Route>> byPort = new TreeMap<>();
    routes.values().forEach(route -> byPort.computeIfAbsent(route.port(), p -> new ArrayList<>()).add(route));
    ArrayNode policies = JSON.createArrayNode();
    boolean internal = false;
    for (Map.Entry<Integer, List<Route>> port : byPort.entrySet()) {
      List<Route> onPort = new ArrayList<>(port.getValue());
      // Named hosts first, the route for every name (if any) last: Caddy takes the first that matches.
      onPort.sort(Comparator.comparing((Route r) -> r.host() == null).thenComparing(Route::service));
      ObjectNode server = servers.putObject(SERVER_PREFIX + port.getKey());
      server.putArray("listen").add(":" + port.getKey());
      boolean tls = onPort.stream().anyMatch(r -> !r.tls().equals("off"));
      if (tls) {
        // Caddy would otherwise also take port 80 for redirects, which may belong to someone else.
        server.putObject("automatic_https").put("disable_redirects", true);
        server.putArray("tls_connection_policies").addObject();
      } else {
        // Without this Caddy would fetch certificates for every host name it is given.
        server.putObject("automatic_https").put("disable", true);
      }
      ArrayNode list = server.putArray("routes");
      for (Route route : onPort) {
        ObjectNode node = list.addObject();
        node.put("@id", ROUTE_PREFIX + route.service());
        if (route.host() != null) {
          node.putArray("match").addObject().putArray("host").add(route.host());
        }
        ObjectNode proxy = node.putArray("handle").addObject();
        proxy.put("handler", "reverse_proxy");
        proxy.putObject("transport").put("protocol", "http").putObject("keep_alive").put("idle_timeout", UPSTREAM_IDLE);
        proxy.putArray("upstreams").addObject().put("dial", route.upstream());
        node.put("terminal", true);
        if (!route.tls().equals("off")) {
          ObjectNode policy = policies.addObject();
          policy.putArray("subjects").add(route.host());
          ObjectNode issuer = policy.putArray("issuers").addObject();
          issuer.put("module", route.tls());
          if (route.email() != null) {
            issuer.put("email", route.email());
          }
          internal |= route.tls().equals("internal");
        }
      }
      if (onPort.stream().allMatch(r -> r.host() != null)) {
        ObjectNode none = list.addObject().putArray("handle").addObject();
        none.put("handler", "static_response");
        none.put("status_code", 404);
        none.put("body", "no service for this host name on port " + port.getKey() + "\n");
      }
    }
    if (!policies.isEmpty()) {
      apps.putObject("tls").putObject("automation").set("policies", policies);
    }
    if (internal) {
      // Caddy's own CA: it would try to install its root in the container's trust store, which is of no use.
      apps.putObject("pki").putObject("certificate_authorities").putObject("local").put("install_trust", false);
    }
    return config.toString();
  }
}
