package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Apps;
import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's proxy container (ensure_proxy) on a real host: made once, left alone after, replaced
 * for another image; the routes it was given survive a restart and an upgrade.
 */
class ProxyIT {
  private static final String HOST = "h1";
  private static final int PORT = 28181;
  private static final Testbed testbed = new Testbed();

  @TempDir Path work;

  @BeforeAll
  @AfterAll
  static void noProxy() {
    testbed.removeContainers(EnsureProxyTask.CONTAINER, HOST);
    testbed.docker(HOST, "volume", "rm", "-f", "deployer-proxy-config", "deployer-proxy-data");
    testbed.status(HOST, "docker", "image", "rm", "-f", "testbed/caddy:2-next");
  }

  private Result ensure(String image) throws Exception {
    Path book = work.resolve("proxy.yml");
    Files.writeString(book, "- hosts: " + HOST + "\n  tasks:\n    - ensure_proxy: {image: \"" + image + "\"}\n");
    return Testbed.deployer("play", book.toString(), "-i", testbed.inventory().toString());
  }

  @Test
  void theProxyIsMadeOnceKeepsItsRoutesAndIsReplacedForAnotherImage() throws Exception {
    Result first = ensure("{{proxy_image}}");
    assertEquals(0, first.exitCode(), first.toString());
    assertTrue(first.out().contains("changed: [" + HOST + "] Start deployer-proxy"), first.out());
    Result again = ensure("{{proxy_image}}");
    assertTrue(again.out().contains(HOST + " : ok=1 changed=0"), again.out());
    // Reloads hand queued connections to the new listener instead of resetting them, across reboots too.
    assertEquals("1", testbed.exec(HOST, "cat", "/proc/sys/net/ipv4/tcp_migrate_req").strip());
    assertTrue(testbed.exec(HOST, "cat", "/etc/sysctl.d/60-deployer-proxy.conf").contains("net.ipv4.tcp_migrate_req = 1"));
    assertEquals("host", testbed.docker(HOST, "inspect", "--format", "{{.HostConfig.NetworkMode}}", EnsureProxyTask.CONTAINER).strip());
    assertEquals(EnsureProxyTask.NETWORK,
        testbed.docker(HOST, "network", "inspect", "--format", "{{.Name}}", EnsureProxyTask.NETWORK).strip());

    // Its admin API is a socket in its volume, not a port any local user could reach.
    assertEquals(1, testbed.status(HOST, "sh", "-c", "ss -Hltn | grep -q ':2019 '"), "something listens on port 2019");
    // A route, given through that socket as deployer gives them.
    String config = "{\"admin\":{\"listen\":\"unix//config/admin.sock\"},"
        + "\"apps\":{\"http\":{\"servers\":{\"it\":{\"listen\":[\":" + PORT + "\"],"
        + "\"routes\":[{\"handle\":[{\"handler\":\"static_response\",\"body\":\"routed by the proxy\"}]}]}}}}}";
    testbed.exec(HOST, "sh", "-c", "printf '%s' \"$1\" | docker exec -i deployer-proxy caddy reload --config /dev/stdin"
        + " --address unix//config/admin.sock", "sh", config);
    String address = testbed.address(HOST);
    Testbed.waitUntil("the route answers", Duration.ofSeconds(10), () -> Apps.get(address, PORT).equals("routed by the proxy"));

    testbed.docker(HOST, "restart", EnsureProxyTask.CONTAINER);
    Testbed.waitUntil("the route answers after a restart", Duration.ofSeconds(20),
        () -> Apps.get(address, PORT).equals("routed by the proxy"));

    // Another image: the same proxy with a layer more (a tag alone is the same image, and no change).
    testbed.docker(HOST, "commit", "--change", "LABEL deployer.it=next", EnsureProxyTask.CONTAINER, "testbed/caddy:2-next");
    Result upgrade = ensure("testbed/caddy:2-next");
    assertEquals(0, upgrade.exitCode(), upgrade.toString());
    assertTrue(upgrade.out().contains("Replace deployer-proxy with testbed/caddy:2-next"), upgrade.out());
    Testbed.waitUntil("the route answers after the upgrade", Duration.ofSeconds(20),
        () -> Apps.get(address, PORT).equals("routed by the proxy"));
    assertTrue(ensure("testbed/caddy:2-next").out().contains(HOST + " : ok=1 changed=0"));
  }
}
