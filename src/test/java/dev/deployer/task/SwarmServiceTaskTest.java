package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Location;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwarmServiceTaskTest {
  private static Task task(Map<String, Object> given) {
    return SwarmServiceTask.TYPE.factory().apply(Args.check(SwarmServiceTask.TYPE, given, Map.of(), Location.of("play.yml")));
  }

  private static String problem(Map<String, Object> given) {
    return assertThrows(ConfigException.class, () -> task(given)).getMessage();
  }

  @Test
  void aProxyIsCheckedBeforeAnyHostIsTouched() {
    Map<String, Object> base = Map.of("name", "web", "image", "app:1");
    assertTrue(problem(with(base, "proxy", Map.of("port", "80", "app_prot", "8080"))).contains("did you mean 'app_port'"));
    assertTrue(problem(with(base, "proxy", Map.of("port", "80"))).contains("needs app_port"));
    assertTrue(problem(with(base, "proxy", Map.of("port", "80000", "app_port", "8080"))).contains("port must be a port"));
    assertTrue(problem(with(with(base, "proxy", Map.of("port", "80", "app_port", "8080")), "ports", List.of("80:8080")))
        .contains("is not for a service behind the proxy"));
    assertTrue(problem(with(base, "update", Map.of("order", "first"))).contains("order must be start-first|stop-first"));
    task(with(base, "proxy", Map.of("port", "80", "app_port", "8080")));
  }

  @Test
  void theEdgeProxyLooksUpEveryTaskOfTheServiceAndRetriesAnother() {
    String caddyfile = SwarmEdge.caddyfile("web", 8080);
    assertTrue(caddyfile.contains("dynamic a tasks.web 8080 {"), caddyfile);
    assertTrue(caddyfile.contains("refresh 1s") && caddyfile.contains("lb_try_duration 5s"), caddyfile);
    assertEquals(1, caddyfile.lines().filter(line -> line.strip().equals("admin off")).count(), caddyfile);
  }

  private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
    Map<String, Object> all = new java.util.LinkedHashMap<>(base);
    all.put(key, value);
    return all;
  }
}
