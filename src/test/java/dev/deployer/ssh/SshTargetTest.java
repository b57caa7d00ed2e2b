package dev.deployer.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.inventory.Host;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a host's login is worked out from the inventory, its ssh args and an ssh config file. */
class SshTargetTest {
  @TempDir Path dir;

  @Test
  void bastionsAreReadFromAnsiblesSshArgsInEachForm() {
    assertEquals(new SshArgs(null, "admin@bastion:2222"), SshArgs.parse("-o ProxyJump=admin@bastion:2222"));
    assertEquals(new SshArgs(null, "a,b"), SshArgs.parse("-o StrictHostKeyChecking=no -J a,b"));
    assertEquals(new SshArgs("/etc/ssh/deploy_config", "jump"), SshArgs.parse("-F /etc/ssh/deploy_config -oProxyJump=jump"));
    assertEquals(new SshArgs(null, "ops@gate.example.com:2200"),
        SshArgs.parse("-o ProxyCommand=\"ssh -W %h:%p -q -p 2200 ops@gate.example.com\""));
    assertEquals(new SshArgs(null, null), SshArgs.parse("-o ProxyCommand=\"nc -X 5 -x proxy:1080 %h %p\""));
    assertEquals(new SshArgs(null, "deploy@192.0.2.1"), SshArgs.parse("'-o ProxyJump=deploy@192.0.2.1'"),
        "as an INI [group:vars] line keeps it, quotes and all");
  }

  private static Host host(String name, Map<String, Object> vars) {
    String address = vars.containsKey("ansible_host") ? vars.get("ansible_host").toString() : name;
    int port = vars.containsKey("ansible_port") ? (Integer) vars.get("ansible_port") : 22;
    String user = vars.containsKey("ansible_user") ? vars.get("ansible_user").toString() : "localuser";
    return new Host(name, address, port, user, null, null, List.of(), vars);
  }

  @Test
  void theInventoryWinsOverTheConfigFileAndJumpsAreResolvedThroughIt() throws IOException {
    Path config = dir.resolve("config");
    Files.writeString(config, """
        Host web*
          HostName 192.0.2.10
          User deploy
          Port 2222
          IdentityFile ~/.ssh/deploy_ed25519
          ProxyJump gate

        Host gate
          HostName 192.0.2.1
          User jumper
          StrictHostKeyChecking accept-new
        """);
    SshOptions options = SshOptions.defaults().withSshConfig(config);
    SshTarget fromConfig = SshTarget.of(host("web1", Map.of()), options);
    assertEquals("deploy@192.0.2.10:2222", fromConfig.user() + "@" + fromConfig.address() + ":" + fromConfig.port());
    assertEquals(List.of(Path.of(System.getProperty("user.home"), ".ssh/deploy_ed25519")), fromConfig.identityFiles());
    SshTarget gate = fromConfig.jumps().get(0);
    assertEquals("jumper@192.0.2.1:22", gate.user() + "@" + gate.address() + ":" + gate.port());
    assertEquals(HostKeyChecking.ACCEPT_NEW, gate.hostKeyChecking());
    assertEquals(fromConfig.identityFiles(), gate.identityFiles(), "a bastion without keys of its own takes the host's");

    SshTarget fromInventory = SshTarget.of(host("web1", Map.of("ansible_user", "root", "ansible_port", 22,
        "jump", "root@198.51.100.7:2200,other")), options);
    assertEquals("root@192.0.2.10:22", fromInventory.user() + "@" + fromInventory.address() + ":" + fromInventory.port());
    assertEquals(List.of("root@198.51.100.7:2200", "root@other:22"), fromInventory.jumps().stream()
        .map(j -> j.user() + "@" + j.address() + ":" + j.port()).toList());
    assertEquals(1, fromInventory.jumps().get(1).jumps().size(), "the second hop goes through the first");
    assertTrue(fromInventory.jumps().get(1).chainKey().startsWith("root@198.51.100.7:2200>"));

    SshTarget plain = SshTarget.of(host("db1", Map.of("ansible_host", "192.0.2.20")), options);
    assertEquals("localuser@192.0.2.20:22", plain.user() + "@" + plain.address() + ":" + plain.port());
    assertTrue(plain.jumps().isEmpty());
  }
}
