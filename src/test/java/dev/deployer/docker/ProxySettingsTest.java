package dev.deployer.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {
  private static ProxySettings parse(Map<String, Object> raw) {
    return ProxySettings.parse(raw, IllegalArgumentException::new);
  }

  private static String problem(Map<String, Object> raw) {
    return assertThrows(IllegalArgumentException.class, () -> parse(raw)).getMessage();
  }

  @Test
  void defaultsAreAPlainRouteProbedAtTheRootWithThirtySecondsToDrain() {
    ProxySettings settings = parse(Map.of("port", 18090, "app_port", "8080"));
    assertEquals(new ProxySettings(18090, 8080, null, "/", 30, "off", null), settings);
    assertEquals(":18090", settings.address());
    assertEquals(120, parse(Map.of("port", 1, "app_port", 2, "drain_timeout", "2m")).drainSeconds());
  }

  @Test
  void mistakesAreNamed() {
    assertEquals("needs app_port", problem(Map.of("port", 80)));
    assertEquals("port '70000' is not a port (1-65535)", problem(Map.of("port", 70000, "app_port", 1)));
    assertEquals("has an unknown key 'helth_path' (did you mean 'health_path'?)",
        problem(Map.of("port", 80, "app_port", 1, "helth_path", "/up")));
    assertEquals("tls: internal needs a host: the certificate is made for that name",
        problem(Map.of("port", 443, "app_port", 1, "tls", "internal")));
    assertEquals("tls: acme needs an email: the certificate authority's account address",
        problem(Map.of("port", 443, "app_port", 1, "tls", "acme", "host", "a.example.com")));
    assertEquals("host 'a b' is not a host name (letters, digits, '-' and dots; '*.' in front for a wildcard)",
        problem(Map.of("port", 80, "app_port", 1, "host", "a b")));
    assertEquals("health_path 'up' must start with / and hold no spaces",
        problem(Map.of("port", 80, "app_port", 1, "health_path", "up")));
  }

  @Test
  void aSpecWithoutProxyHashesAsBeforeProxiesExisted() {
    ContainerSpec plain = new ContainerSpec("web", java.util.List.of("80:80"), Map.of(), null, java.util.List.of(), null, null,
        "unless-stopped", Map.of(), 10);
    assertNull(plain.toJson().get("proxy"));
    assertNull(plain.toJson().get("volumesFrom"), "nor fields a service never has");
    assertEquals("{\"name\":\"web\",\"ports\":[\"80:80\"],\"env\":{},\"envFile\":null,\"volumes\":[],\"network\":null,"
        + "\"command\":null,\"restartPolicy\":\"unless-stopped\",\"labels\":{},\"stopTimeout\":10}", plain.toJson().toString(),
        "the JSON (and so the hash) of a configuration recorded before these fields existed");
    assertEquals(plain, ContainerSpec.fromJson(plain.toJson()));
    ContainerSpec proxied = new ContainerSpec("web", java.util.List.of(), Map.of(), null, java.util.List.of(), null, null,
        "unless-stopped", Map.of(), 10, parse(Map.of("port", 80, "app_port", 8080, "host", "web.example.com")));
    assertEquals(proxied, ContainerSpec.fromJson(proxied.toJson()));
  }
}
