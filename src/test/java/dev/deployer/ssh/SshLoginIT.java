package dev.deployer.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Testbed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

  private record Run(int exit, String output) {}

  private static Run exec(Map<String, String> env, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("SSH_AUTH_SOCK");
    builder.environment().remove("DEPLOYER_KEY_PASSPHRASE");
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(5, TimeUnit.MINUTES));
    return new Run(process.exitValue(), output);
  }

  private static Run deployer(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("java", "-jar", testbed.projectDir().resolve("target/deployer.jar").toString()));
    command.addAll(List.of(args));
    return exec(env, command.toArray(String[]::new));
  }

  /** An inventory whose web group is the one host, written as {@code hostYaml} (name and vars). */
  private static Path inventory(String name, String hostYaml) throws IOException {
    Path file = work.resolve(name + ".yml");
    Files.writeString(file, """
        all:
          vars:
            known_hosts: %s
            base_image: testbed/base:1
          children:
            web:
              hosts:
        %s
        """.formatted(testbed.knownHosts(), hostYaml.indent(8).stripTrailing()));
    return file;
  }

  private static Run demo(Path inventory, Map<String, String> env, String... more) throws Exception {
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
    Run added = exec(Map.of("SSH_AUTH_SOCK", socket.toString(), "SSH_ASKPASS", askpass.toString(),
        "SSH_ASKPASS_REQUIRE", "force", "DISPLAY", ":0"), "ssh-add", copy.toString());
    assertEquals(0, added.exit(), added.output());
    Files.delete(copy);
    return agent;
  }

  @Test
  void aKeyOnlyInSshAgentLogsIn() throws Exception {
    Path socket = work.resolve("agent.sock");
    Process agent = agentWithTheKey(socket);
    try {
      Path inventory = inventory("agent", "h1: {ansible_host: %s, ansible_user: root}".formatted(testbed.address("h1")));
      Run run = demo(inventory, Map.of("SSH_AUTH_SOCK", socket.toString(), "HOME", work.toString()));
      assertEquals(0, run.exit(), run.output());
      assertTrue(run.output().contains("h1 : ok="), run.output());
      Run without = demo(inventory, Map.of("HOME", work.toString()));
      assertEquals(3, without.exit(), without.output());
      assertTrue(without.output().contains("no identity accepted by h1"), without.output());
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
      Run first = demo(inventory, env, "--become");
      assertEquals(0, first.exit(), first.output());
      Run again = demo(inventory, env, "--become");
      assertEquals(0, again.exit(), again.output());
      assertTrue(again.output().contains("changed=0"), again.output());
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
        """.formatted(testbed.address("h1"), testbed.address("h2"), testbed.dir().resolve("id_ed25519"), testbed.knownHosts()));
    Run run = demo(ini, Map.of());
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains("h1 : ok=") && run.output().contains("h2 : ok="), run.output());
  }

  @Test
  void anEncryptedKeyFileOpensWithItsPassphraseAndIsNamedWithoutIt() throws Exception {
    Path inventory = inventory("encrypted", "h2: {ansible_host: %s, ansible_user: root, ansible_ssh_private_key_file: %s}"
        .formatted(testbed.address("h2"), encryptedKey));
    Run without = demo(inventory, Map.of());
    assertEquals(3, without.exit(), without.output());
    assertTrue(without.output().contains(encryptedKey + " (encrypted: give its passphrase"), without.output());
    assertFalse(without.output().contains(PASSPHRASE));
    Run with = demo(inventory, Map.of("DEPLOYER_KEY_PASSPHRASE", PASSPHRASE));
    assertEquals(0, with.exit(), with.output());
    assertFalse(with.output().contains(PASSPHRASE), "the passphrase never shows");
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
      Run blocked = demo(direct, Map.of(), "--connect-timeout", "3");
      assertEquals(3, blocked.exit(), "the direct route must be closed for this test to mean anything: " + blocked.output());

      Path viaArgs = inventory("via-args", """
          h3:
            ansible_host: %s
            ansible_user: root
            ansible_ssh_private_key_file: %s
            ansible_ssh_common_args: '-o ProxyJump=root@%s'""".formatted(hidden, key, bastion));
      Run first = demo(viaArgs, Map.of());
      assertEquals(0, first.exit(), first.output());
      Run again = demo(viaArgs, Map.of());
      assertEquals(0, again.exit(), again.output());
      assertTrue(again.output().contains("changed=0"), again.output());

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
      Run viaConfig = demo(inventory("via-config", "hidden-web:"), Map.of(), "--ssh-config", config.toString());
      assertEquals(0, viaConfig.exit(), viaConfig.output());
      assertTrue(viaConfig.output().contains("hidden-web : ok="), viaConfig.output());

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
      Run refused = demo(forgedInventory, Map.of());
      assertEquals(3, refused.exit(), refused.output());
      assertTrue(refused.output().contains("bastion " + bastion) && refused.output().contains("changed"), refused.output());
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
