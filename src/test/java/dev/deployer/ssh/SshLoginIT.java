package dev.deployer.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Logging in the ways real servers ask for: a key only in ssh-agent, an encrypted key file, and a
 * host that only a bastion can reach (this machine's own route to it blackholed), named by
 * ansible_ssh_common_args and by an ssh config file. Each deploys the demo for real.
 */
class SshLoginIT {
  private static final Testbed testbed = new Testbed();
  private static final String PASSPHRASE = "correct horse battery";
  private static Path work;
  private static Path encryptedKey;
  private static String authorizedBefore;

  @BeforeAll
  static void keys() throws Exception {
    work = Files.createTempDirectory("deployer-ssh-it");
    encryptedKey = work.resolve("id_encrypted");
    exec(Map.of(), "ssh-keygen", "-q", "-t", "ed25519", "-N", PASSPHRASE, "-C", "it-encrypted", "-f", encryptedKey.toString());
    Path authorized = testbed.dir().resolve("authorized_keys");
    authorizedBefore = Files.readString(authorized);
    Files.writeString(authorized, authorizedBefore + Files.readString(Path.of(encryptedKey + ".pub")));
  }

  @AfterAll
  static void restore() throws IOException {
    Files.writeString(testbed.dir().resolve("authorized_keys"), authorizedBefore);
  }

  private static Result exec(Map<String, String> env, String... command) {
    return Testbed.process(env, List.of(command));
  }

  private static Result deployer(Map<String, String> env, String... args) {
    return testbed.deployerProcess(env, List.of(args));
  }

  /** An inventory whose web group is the one host, written as {@code hostYaml} (name and vars). */
  private static Path inventory(String name, String hostYaml) throws IOException {
    Path file = work.resolve(name + ".yml");
    Files.writeString(file, """
        all:
          vars:
            known_hosts: %s
            base_image: testbed/base:1
            proxy_image: testbed/caddy:2
          children:
            web:
              hosts:
        %s
        """.formatted(testbed.knownHosts(), hostYaml.indent(8).stripTrailing()));
    return file;
  }

  private static Result demo(Path inventory, Map<String, String> env, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("play", testbed.projectDir().resolve("playbooks/demo.yml").toString(),
        "-i", inventory.toString()));
    args.addAll(List.of(more));
    return deployer(env, args.toArray(String[]::new));
  }

  /** An ssh-agent holding the encrypted key (its file then removed), for as long as the test runs. */
  private static Process agentWithTheKey(Path socket) throws Exception {
    Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true).start();
    Testbed.waitUntil("ssh-agent listens", Duration.ofSeconds(10), () -> Files.exists(socket));
    Path askpass = work.resolve("askpass");
    Files.writeString(askpass, "#!/bin/sh\necho '" + PASSPHRASE + "'\n");
    Files.setPosixFilePermissions(askpass, PosixFilePermissions.fromString("rwx------"));
    Path copy = work.resolve("agent-only-key-" + socket.getFileName());
    Files.copy(encryptedKey, copy);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
    Result added = exec(Map.of("SSH_AUTH_SOCK", socket.toString(), "SSH_ASKPASS", askpass.toString(),
        "SSH_ASKPASS_REQUIRE", "force", "DISPLAY", ":0"), "ssh-add", copy.toString());
    assertEquals(0, added.exitCode(), added.out());
    Files.delete(copy);
    return agent;
  }

  @Test
  void aKeyOnlyInSshAgentLogsIn() throws Exception {
    Path socket = work.resolve("agent.sock");
    Process agent = agentWithTheKey(socket);
    try {
      Path inventory = inventory("agent", "h1: {ansible_host: %s, ansible_user: root}".formatted(testbed.address("h1")));
      Result run = demo(inventory, Map.of("SSH_AUTH_SOCK", socket.toString(), "HOME", work.toString()));
      assertEquals(0, run.exitCode(), run.out());
      assertTrue(run.out().contains("h1 : ok="), run.out());
      Result without = demo(inventory, Map.of("HOME", work.toString()));
      assertEquals(3, without.exitCode(), without.out());
      assertTrue(without.out().contains("no identity accepted by h1"), without.out());
    } finally {
      agent.destroy();
    }
  }

  @Test
  void asDeployWithAnAgentKeyThroughTheBastionOnlyWithBecome() throws Exception {
    String hidden = testbed.address("h3");
    String bastion = Files.readString(testbed.dir().resolve("bastion/address")).strip();
    Path socket = work.resolve("agent2.sock");
    Process agent = agentWithTheKey(socket);
    exec(Map.of(), "ip", "route", "add", "blackhole", hidden + "/32");
    try {
      Path inventory = inventory("all-at-once", """
          h3:
            ansible_host: %s
            ansible_user: deploy
            ansible_ssh_common_args: '-o ProxyJump=deploy@%s'""".formatted(hidden, bastion));
      Map<String, String> env = Map.of("SSH_AUTH_SOCK", socket.toString(), "HOME", work.toString());
      Result first = demo(inventory, env, "--become");
      assertEquals(0, first.exitCode(), first.out());
      Result again = demo(inventory, env, "--become");
      assertEquals(0, again.exitCode(), again.out());
      assertTrue(again.out().contains("changed=0"), again.out());
    } finally {
      exec(Map.of(), "ip", "route", "del", "blackhole", hidden + "/32");
      agent.destroy();
    }
  }

  @Test
  void anAnsibleIniInventoryDeploys() throws Exception {
    Path ini = work.resolve("hosts.ini");
    Files.writeString(ini, """
        [web]
        h1 ansible_host=%s
        h2 ansible_host=%s

        [prod:children]
        web

        [prod:vars]
        ansible_user=root
        ansible_ssh_private_key_file=%s
        known_hosts=%s
        base_image=testbed/base:1
        proxy_image=testbed/caddy:2
        """.formatted(testbed.address("h1"), testbed.address("h2"), testbed.dir().resolve("id_ed25519"), testbed.knownHosts()));
    Result run = demo(ini, Map.of());
    assertEquals(0, run.exitCode(), run.out());
    assertTrue(run.out().contains("h1 : ok=") && run.out().contains("h2 : ok="), run.out());
  }

  @Test
  void anEncryptedKeyFileOpensWithItsPassphraseAndIsNamedWithoutIt() throws Exception {
    Path inventory = inventory("encrypted", "h2: {ansible_host: %s, ansible_user: root, ansible_ssh_private_key_file: %s}"
        .formatted(testbed.address("h2"), encryptedKey));
    Result without = demo(inventory, Map.of());
    assertEquals(3, without.exitCode(), without.out());
    assertTrue(without.out().contains(encryptedKey + " (encrypted: give its passphrase"), without.out());
    assertFalse(without.out().contains(PASSPHRASE));
    Result with = demo(inventory, Map.of("DEPLOYER_KEY_PASSPHRASE", PASSPHRASE));
    assertEquals(0, with.exitCode(), with.out());
    assertFalse(with.out().contains(PASSPHRASE), "the passphrase never shows");
  }

  @Test
  void aHostOnlyABastionReachesDeploysThroughIt() throws Exception {
    String hidden = testbed.address("h3");
    String bastion = Files.readString(testbed.dir().resolve("bastion/address")).strip();
    Path key = testbed.dir().resolve("id_ed25519");
    exec(Map.of(), "ip", "route", "add", "blackhole", hidden + "/32");
    try {
      Path direct = inventory("direct", "h3: {ansible_host: %s, ansible_user: root, ansible_ssh_private_key_file: %s}"
          .formatted(hidden, key));
      Result blocked = demo(direct, Map.of(), "--connect-timeout", "3");
      assertEquals(3, blocked.exitCode(), "the direct route must be closed for this test to mean anything: " + blocked.out());

      Path viaArgs = inventory("via-args", """
          h3:
            ansible_host: %s
            ansible_user: root
            ansible_ssh_private_key_file: %s
            ansible_ssh_common_args: '-o ProxyJump=root@%s'""".formatted(hidden, key, bastion));
      Result first = demo(viaArgs, Map.of());
      assertEquals(0, first.exitCode(), first.out());
      Result again = demo(viaArgs, Map.of());
      assertEquals(0, again.exitCode(), again.out());
      assertTrue(again.out().contains("changed=0"), again.out());

      Path config = work.resolve("ssh_config");
      Files.writeString(config, """
          Host hidden-web
            HostName %s
            User root
            IdentityFile %s
            ProxyJump jumpbox

          Host jumpbox
            HostName %s
            User root
            IdentityFile %s
          """.formatted(hidden, key, bastion, key));
      Result viaConfig = demo(inventory("via-config", "hidden-web:"), Map.of(), "--ssh-config", config.toString());
      assertEquals(0, viaConfig.exitCode(), viaConfig.out());
      assertTrue(viaConfig.out().contains("hidden-web : ok="), viaConfig.out());

      // The bastion's key in known_hosts replaced by another: refused, and the message names it.
      Path otherKey = work.resolve("other_host_key");
      exec(Map.of(), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherKey.toString());
      String forged = Files.readAllLines(testbed.knownHosts()).stream()
          .map(line -> line.startsWith(bastion + " ") ? bastion + " " + readPub(otherKey) : line)
          .reduce("", (a, b) -> a + b + "\n");
      Path forgedFile = work.resolve("forged_known_hosts");
      Files.writeString(forgedFile, forged);
      Path forgedInventory = inventory("forged", """
          h3:
            ansible_host: %s
            ansible_user: root
            ansible_ssh_private_key_file: %s
            known_hosts: %s
            jump: root@%s""".formatted(hidden, key, forgedFile, bastion));
      Result refused = demo(forgedInventory, Map.of());
      assertEquals(3, refused.exitCode(), refused.out());
      assertTrue(refused.out().contains("bastion " + bastion) && refused.out().contains("changed"), refused.out());
    } finally {
      exec(Map.of(), "ip", "route", "del", "blackhole", hidden + "/32");
    }
  }

  private static String readPub(Path key) {
    try {
      String[] parts = Files.readString(Path.of(key + ".pub")).split(" ");
      return parts[0] + " " + parts[1];
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
