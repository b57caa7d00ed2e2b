package dev.deployer.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CaddyConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Map<String, Route> routes(Route... routes) {
    Map<String, Route> map = new TreeMap<>();
    for (Route route : routes) {
      map.put(route.service(), route);
    }
    return map;
  }

  @Test
  void theRoutesComeBackFromTheConfigurationCaddySaves() throws Exception {
    Map<String, Route> routes = routes(
        new Route("quotes", 18090, "quotes.example.com", "off", null, "172.20.0.5:8080"),
        new Route("hello", 18090, "hello.example.com", "off", null, "172.20.0.6:80"),
        new Route("shop", 8443, "shop.example.com", "internal", null, "172.20.0.7:3000"),
        new Route("blog", 443, "blog.example.com", "acme", "ops@example.com", "172.20.0.8:2368"),
        new Route("api", 18091, null, "off", null, "172.20.0.9:8080"));
    JsonNode config = JSON.readTree(CaddyConfig.render(routes));
    assertEquals(routes, CaddyConfig.routes(config));
    assertEquals(CaddyConfig.ADMIN, config.path("admin").path("listen").asText());
  }

  @Test
  void aPortOfNamedHostsAnswersOthersWith404AndPlainPortsFetchNoCertificates() throws Exception {
    JsonNode config = JSON.readTree(CaddyConfig.render(routes(
        new Route("quotes", 18090, "quotes.example.com", "off", null, "172.20.0.5:8080"))));
    JsonNode server = config.path("apps").path("http").path("servers").path("deployer-18090");
    assertTrue(server.path("automatic_https").path("disable").asBoolean());
    JsonNode last = server.path("routes").path(1).path("handle").path(0);
    assertEquals("static_response", last.path("handler").asText());
    assertEquals(404, last.path("status_code").asInt());
    // Short idle connections: a switched container's connections end soon after its last request.
    assertEquals(CaddyConfig.UPSTREAM_IDLE, server.path("routes").path(0).path("handle").path(0)
        .path("transport").path("keep_alive").path("idle_timeout").asText());
  }

  @Test
  void theRouteForEveryNameComesAfterTheNamedOnes() throws Exception {
    JsonNode config = JSON.readTree(CaddyConfig.render(routes(
        new Route("all", 80, null, "off", null, "172.20.0.5:8080"),
        new Route("zed", 80, "zed.example.com", "off", null, "172.20.0.6:8080"))));
    JsonNode list = config.path("apps").path("http").path("servers").path("deployer-80").path("routes");
    assertEquals("deployer-zed", list.path(0).path("@id").asText());
    assertEquals("deployer-all", list.path(1).path("@id").asText());
    assertEquals(2, list.size(), "no 404 route after a route that takes every name");
  }

  @Test
  void internalTlsUsesCaddysOwnAuthorityWithoutTouchingTrustStores() throws Exception {
    JsonNode config = JSON.readTree(CaddyConfig.render(routes(
        new Route("shop", 8443, "shop.example.com", "internal", null, "172.20.0.7:3000"))));
    JsonNode apps = config.path("apps");
    assertEquals("internal", apps.path("tls").path("automation").path("policies").path(0).path("issuers").path(0).path("module").asText());
    assertFalse(apps.path("pki").path("certificate_authorities").path("local").path("install_trust").asBoolean(true));
    assertTrue(apps.path("http").path("servers").path("deployer-8443").path("automatic_https").path("disable_redirects").asBoolean());
  }

  @Test
  void routesThatCannotShareAPortAreRefused() {
    Map<String, Route> existing = routes(new Route("quotes", 18090, "quotes.example.com", "off", null, "172.20.0.5:8080"));
    assertEquals("port 18090 for quotes.example.com is already the route of quotes",
        CaddyConfig.conflict(existing, new Route("other", 18090, "quotes.example.com", "off", null, "172.20.0.6:80")));
    assertTrue(CaddyConfig.conflict(existing, new Route("shop", 18090, "shop.example.com", "internal", null, "x:1"))
        .contains("either TLS or plain HTTP"));
    assertNull(CaddyConfig.conflict(existing, new Route("hello", 18090, "hello.example.com", "off", null, "x:1")));
    assertNull(CaddyConfig.conflict(existing, new Route("quotes", 18090, "quotes.example.com", "off", null, "x:2")),
        "a service moving its own route");
  }

  @Test
  void routesOfOthersInTheConfigurationAreLeftOut() throws Exception {
    JsonNode config = JSON.readTree("""
        {"apps":{"http":{"servers":{"mine":{"listen":[":81"],"routes":[{"@id":"x"}]},
         "deployer-82":{"listen":[":82"],"routes":[{"handle":[{"handler":"static_response"}]}]}}}}}""");
    assertEquals(Map.of(), CaddyConfig.routes(config));
  }

  @Test
  void theTcpTableIsReadInTheKernelsByteOrder() {
    assertEquals("050014AC:1F90", TcpTable.hex("172.20.0.5:8080"));
    String table = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1
           1: 010014AC:C350 050014AC:1F90 01 00000000:00000000 00:00000000 00000000     0        0 2 1
           2: 010014AC:C352 050014AC:1F90 06 00000000:00000000 00:00000000 00000000     0        0 0 3
           3: 010014AC:C354 060014AC:1F90 01 00000000:00000000 00:00000000 00000000     0        0 3 1
        """;
    assertEquals(1, TcpTable.established(table, "172.20.0.5:8080"), "TIME_WAIT and other upstreams do not count");
  }

  @Test
  void aFreeAddressIsInTheSubnetAndNotTaken() {
    for (int i = 0; i < 200; i++) {
      String ip = HostProxy.pick("172.20.0.0/29", Set.of("172.20.0.4", "172.20.0.5"));
      assertTrue(Set.of("172.20.0.6").contains(ip), ip);
    }
    String wide = HostProxy.pick("10.5.0.0/16", Set.of());
    assertTrue(wide.startsWith("10.5."), wide);
  }
}
