package dev.deployer.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwarmSpecTest {
  private static SwarmSpec spec(String image, Map<String, String> env, List<String> ports) {
    return proxied(image, env, ports, null);
  }

  private static SwarmSpec proxied(String image, Map<String, String> env, List<String> ports, SwarmSpec.Proxy proxy) {
    return new SwarmSpec(image, 3, ports, env, List.of(), Map.of("cmd", "true"),
        Map.of("order", "start-first", "failure_action", "rollback"), proxy);
  }

  @Test
  void createNamesEverySettingAndRollsBackTheWayItUpdates() {
    List<String> args = spec("app:1", Map.of("A", "b"), List.of("8080:80")).createArgs("web");
    String line = String.join(" ", args);
    assertTrue(line.startsWith("service create --name web --replicas 3 --label " + SwarmSpec.LABEL + "={"), line);
    assertTrue(line.contains("--publish published=8080,target=80 --env A=b --health-cmd true"), line);
    assertTrue(line.contains("--update-failure-action rollback --update-order start-first --rollback-order start-first"), line);
    assertTrue(!line.contains("--rollback-failure-action"), "Swarm's rollback failure actions are not the update's: " + line);
    assertEquals("app:1", args.get(args.size() - 1));
  }

  @Test
  void anUpdateRemovesWhatIsGoneAndAddsWhatIsNew() {
    SwarmSpec before = spec("app:1", Map.of("A", "b", "OLD", "x"), List.of("8080:80"));
    SwarmSpec after = spec("app:2", Map.of("A", "c"), List.of("9090:80"));
    String line = String.join(" ", after.updateArgs("web", before));
    assertTrue(line.contains("--image app:2"), line);
    assertTrue(line.contains("--env-rm OLD") && line.contains("--env-add A=c"), line);
    assertTrue(line.contains("--publish-rm 80") && line.contains("--publish-add published=9090,target=80"), line);
    assertTrue(line.endsWith(" web"), line);
    Map<String, String[]> diff = after.diff(before);
    assertEquals(List.of("image", "ports", "env"), List.copyOf(diff.keySet()));
    assertEquals("app:1", diff.get("image")[0]);
  }

  @Test
  void aProxiedServiceIsFoundByNameOnTheEdgeNetworkAndGoesBackToTheMeshWithoutIt() {
    SwarmSpec.Proxy proxy = new SwarmSpec.Proxy(8090, 8080, "caddy:2.8.4");
    SwarmSpec plain = spec("app:1", Map.of(), List.of());
    SwarmSpec behind = proxied("app:1", Map.of(), List.of(), proxy);
    assertTrue(String.join(" ", behind.createArgs("web")).contains("--endpoint-mode dnsrr --network " + SwarmSpec.EDGE_NETWORK));
    String to = String.join(" ", behind.updateArgs("web", plain));
    assertTrue(to.contains("--endpoint-mode dnsrr --network-add " + SwarmSpec.EDGE_NETWORK), to);
    String back = String.join(" ", plain.updateArgs("web", behind));
    assertTrue(back.contains("--endpoint-mode vip --network-rm " + SwarmSpec.EDGE_NETWORK), back);
    String same = String.join(" ", behind.updateArgs("web", behind));
    assertTrue(!same.contains("--endpoint-mode") && !same.contains(SwarmSpec.EDGE_NETWORK), same);
    assertEquals("none", behind.diff(plain).get("proxy")[0]);
    assertEquals(":8090 -> 8080 (caddy:2.8.4)", behind.diff(plain).get("proxy")[1]);
    assertEquals(behind, SwarmSpec.fromLabel(behind.json()));
  }

  @Test
  void theRecordedSpecReadsBackAsItWasAndAForeignLabelIsNone() {
    SwarmSpec spec = spec("app:1", Map.of("A", "b"), List.of());
    assertEquals(spec, SwarmSpec.fromLabel(spec.json()));
    assertNull(SwarmSpec.fromLabel("not json"));
    assertNull(SwarmSpec.fromLabel(null));
  }
}
