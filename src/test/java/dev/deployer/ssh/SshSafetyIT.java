package dev.deployer.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host keys are verified and values stay values, against real sshd on the testbed. */
class SshSafetyIT {
  @TempDir Path work;
  private final Testbed testbed = new Testbed();
  private final String id = "it" + UUID.randomUUID().toString().substring(0, 8);

  /** The testbed inventory, pointed at another known_hosts file. */
  private Path inventoryWithKnownHosts(Path knownHosts) throws IOException {
    String text = Files.readString(testbed.inventory())
        .replace("known_hosts: " + testbed.knownHosts(), "known_hosts: " + knownHosts);
    Path file = work.resolve("inventory.yml");
    Files.writeString(file, text);
    return file;
  }

  private Path playbook() throws IOException {
    Path file = work.resolve("touch.yml");
    Files.writeString(file, "- hosts: all\n  tasks:\n    - command: \"touch /tmp/" + id + "\"\n");
    return file;
  }

  private static String line(List<String> lines, String host) {
    return lines.stream().filter(l -> l.startsWith(host + " ")).findFirst().orElseThrow();
  }

  @Test
  void aCommandThatTimesOutIsStoppedOnTheHost() throws IOException {
    Path book = work.resolve("slow.yml");
    Files.writeString(book, "- hosts: h1\n  tasks:\n    - command: \"sleep 47; touch /tmp/" + id + "\"\n");
    Result run = Testbed.deployer("play", book.toString(), "-i", testbed.inventory().toString(), "--command-timeout", "2");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.out().contains("failed: [h1] command timed out after 2s"), run.out());
    assertTrue(!testbed.exec("h1", "ps", "-eo", "args").contains("sleep 47"), "the command was left running");
  }

  @Test
  void aHostWhoseKeyChangedIsRefused() throws IOException {
    List<String> real = Files.readAllLines(testbed.knownHosts());
    // The testbed writes known_hosts in host order: h1 first, then h2.
    String h1 = real.get(0);
    String h2 = real.get(1);
    // h1's address, with h2's key: what a man in the middle (or a rebuilt host) looks like.
    String forged = h1.split(" ")[0] + " " + h2.split(" ", 2)[1];
    Path knownHosts = work.resolve("known_hosts");
    Files.writeString(knownHosts, forged + "\n");

    Result run = Testbed.deployer("play", playbook().toString(), "-i", inventoryWithKnownHosts(knownHosts).toString(),
        "--limit", "h1");
    assertEquals(3, run.exitCode(), run.toString());
    assertTrue(run.out().contains("unreachable: [h1] host key for " + h1.split(" ")[0] + " does not match"), run.out());
    assertNotEquals(0, testbed.status("h1", "test", "-e", "/tmp/" + id));
  }

  @Test
  void aHostWhoseKeyTypeChangedIsRefusedEvenByAcceptNew() throws Exception {
    // known_hosts knows h1 by an ECDSA key; the host offers its ed25519 key.
    Path other = work.resolve("other_ecdsa");
    Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", other.toString()).start();
    assertEquals(0, keygen.waitFor());
    // The testbed writes known_hosts in host order: h1 first.
    String address = Files.readAllLines(testbed.knownHosts()).get(0).split(" ")[0];
    String[] pub = Files.readString(other.resolveSibling("other_ecdsa.pub")).split(" ");
    Path knownHosts = work.resolve("typed_known_hosts");
    Files.writeString(knownHosts, address + " " + pub[0] + " " + pub[1] + "\n");
    for (String mode : List.of("strict", "accept-new")) {
      Result run = Testbed.deployer("play", playbook().toString(), "-i", inventoryWithKnownHosts(knownHosts).toString(),
          "--limit", "h1", "--host-key-checking", mode);
      assertEquals(3, run.exitCode(), run.toString());
      assertTrue(run.out().contains("offers a ssh-ed25519 key, but " + knownHosts + " knows it by ecdsa-sha2-nistp256"),
          run.out());
    }
    assertEquals(1, Files.readAllLines(knownHosts).size(), "accept-new added a key for a known host");
    assertNotEquals(0, testbed.status("h1", "test", "-e", "/tmp/" + id));
  }

  @Test
  void anUnknownHostIsRefusedUnlessAcceptNewIsAsked() throws IOException {
    Path knownHosts = work.resolve("empty_known_hosts");
    Path inventory = inventoryWithKnownHosts(knownHosts);

    Result strict = Testbed.deployer("play", playbook().toString(), "-i", inventory.toString(), "--limit", "h2");
    assertEquals(3, strict.exitCode(), strict.toString());
    assertTrue(strict.out().contains("is not in " + knownHosts), strict.out());
    assertNotEquals(0, testbed.status("h2", "test", "-e", "/tmp/" + id));

    Result acceptNew = Testbed.deployer("play", playbook().toString(), "-i", inventory.toString(), "--limit", "h2",
        "--host-key-checking", "accept-new");
    assertEquals(0, acceptNew.exitCode(), acceptNew.toString());
    assertEquals(0, testbed.status("h2", "test", "-e", "/tmp/" + id));
    // The key it learnt is the host's real key, and strict checking now accepts the host.
    String learnt = Files.readString(knownHosts).trim();
    assertEquals(line(Files.readAllLines(testbed.knownHosts()), learnt.split(" ")[0]), learnt);
    Result again = Testbed.deployer("play", playbook().toString(), "-i", inventory.toString(), "--limit", "h2");
    assertEquals(0, again.exitCode(), again.toString());
  }

  @Test
  void variablesHoldingShellSyntaxStayValues() throws IOException {
    String pwned = "/tmp/" + id + "-pwned";
    String canary = "/tmp/" + id + "-canary";
    Path book = work.resolve("quote.yml");
    Files.writeString(book, """
        - hosts: h1
          tasks:
            - name: canary
              command: "touch %2$s"
            - name: plain
              command: "echo {{evil}} > /tmp/%1$s-bare"
            - name: in double quotes
              command: "echo \\"{{evil}}|{{wipe}}\\" > /tmp/%1$s-double"
            - name: as argv
              command: [sh, -c, 'echo "$1" > /tmp/%1$s-argv', sh, "{{wipe}}"]
            - name: as a file path
              sync_dir: {src: ., dest: "/tmp/%1$s-dir/{{evil}}"}
        """.formatted(id, canary));
    Result run = Testbed.deployer("play", book.toString(), "-i", testbed.inventory().toString(),
        "-e", "evil=$(touch " + pwned + ")", "-e", "wipe=; rm -rf " + canary);
    assertEquals(0, run.exitCode(), run.toString());
    assertNotEquals(0, testbed.status("h1", "test", "-e", pwned), "command substitution ran on the host");
    assertEquals(0, testbed.status("h1", "test", "-e", canary), "the canary was removed");
    assertEquals("$(touch " + pwned + ")\n", testbed.exec("h1", "cat", "/tmp/" + id + "-bare"));
    assertEquals("$(touch " + pwned + ")|; rm -rf " + canary + "\n", testbed.exec("h1", "cat", "/tmp/" + id + "-double"));
    assertEquals("; rm -rf " + canary + "\n", testbed.exec("h1", "cat", "/tmp/" + id + "-argv"));
    assertEquals(0, testbed.status("h1", "test", "-f", "/tmp/" + id + "-dir/$(touch " + pwned + ")/quote.yml"));
  }
}
