package dev.deployer.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The testbed is what the other integration tests rely on: separate hosts and a shared registry. */
class HostIsolationIT {
  private final Testbed testbed = new Testbed();

  @Test
  void eachHostHasItsOwnAddressAndDocker() {
    assertTrue(testbed.exec("h1", "ip", "-4", "addr", "show", "eth0").contains(".11/24"));
    assertTrue(testbed.exec("h2", "ip", "-4", "addr", "show", "eth0").contains(".12/24"));
    String tag = "only-h1-" + UUID.randomUUID().toString().substring(0, 8);
    testbed.docker("h1", "tag", "testbed/base:1", "testbed/base:" + tag);
    assertEquals(0, testbed.status("h1", "docker", "image", "inspect", "testbed/base:" + tag));
    assertEquals(1, testbed.status("h2", "docker", "image", "inspect", "testbed/base:" + tag));
  }

  @Test
  void hostsReachOnlyTheTestbed() {
    assertTrue(!testbed.exec("h1", "ip", "route").contains("default"), "a host has a way out");
    String pull = testbed.exec("h1", "sh", "-c", "docker pull example.com/nothing:1 2>&1 || true");
    assertTrue(pull.contains("network is unreachable"), pull);
  }

  @Test
  void eachHostHasItsOwnStockHome() throws Exception {
    String stock = java.nio.file.Files.readString(java.nio.file.Path.of("/usr/share/base-files/dot.bashrc"));
    assertEquals(stock, testbed.exec("h1", "cat", "/root/.bashrc"));
    String mark = "/root/only-h1-" + UUID.randomUUID().toString().substring(0, 8);
    testbed.exec("h1", "touch", mark);
    assertEquals(0, testbed.status("h1", "test", "-e", mark));
    assertEquals(1, testbed.status("h2", "test", "-e", mark));
    assertEquals(1, testbed.status("h2", "test", "-e", "/root/.pyenv"), "the machine's own /root shows through");
  }

  @Test
  void anImagePushedFromOneHostIsPulledOnAnother() {
    String registry = testbed.registry();
    String image = registry + "/it/pushed:" + UUID.randomUUID().toString().substring(0, 8);
    testbed.docker("h1", "tag", "testbed/base:1", image);
    testbed.docker("h1", "push", image);
    testbed.docker("h3", "pull", image);
    assertEquals(
        testbed.docker("h1", "image", "inspect", "--format", "{{.Id}}", image),
        testbed.docker("h3", "image", "inspect", "--format", "{{.Id}}", image));
  }
}
