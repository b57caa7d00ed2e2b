package dev.deployer.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The persistent agent against real hosts, run as users run deployer: the jar as its own process,
 * twice, from the same directory with the same environment.
 */
class PersistIT {
  private static final Pattern KEPT = Pattern.compile("h1: connect \\d+ ms \\(kept from an earlier run\\)");

  private final Testbed testbed = new Testbed();
  private final String marker = "/tmp/persist-it-" + UUID.randomUUID();

  @TempDir Path work;

  @AfterEach
  void stopAgents() {
    agents().forEach(ProcessHandle::destroyForcibly);
  }

  /** This test's agents: their socket is under its own XDG_RUNTIME_DIR. */
  private List<ProcessHandle> agents() {
    return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("AgentMain")
        && p.info().commandLine().orElse("").contains(work.toString())).toList();
  }

  private Map<String, String> env(String persist) {
    return Map.of("DEPLOYER_PERSIST", persist, "XDG_RUNTIME_DIR", work.toString());
  }

  private Path playbook(String command) throws IOException {
    Path book = work.resolve("play-" + UUID.randomUUID() + ".yml");
    Files.writeString(book, "- hosts: h1\n  tasks:\n    - command: " + command + "\n");
    return book;
  }

  private List<String> args(Path book, String... more) {
    List<String> args = new ArrayList<>(List.of("play", book.toString(), "-i", testbed.inventory().toString()));
    args.addAll(List.of(more));
    return args;
  }

  @Test
  void theSecondRunGoesThroughTheAgentOnTheConnectionTheFirstOpened() throws Exception {
    Path book = playbook("hostname");
    Result first = testbed.deployerProcess(env("30"), args(book, "--profile"));
    assertEquals(0, first.exitCode(), first.toString());
    assertFalse(KEPT.matcher(first.out()).find(), first.out());
    assertEquals(1, agents().size(), "the first run left an agent");

    Result second = testbed.deployerProcess(env("30"), args(book, "--profile"));
    assertEquals(0, second.exitCode(), second.toString());
    assertTrue(KEPT.matcher(second.out()).find(), second.out());
    assertTrue(second.out().contains("h1 : ok=0 changed=1 failed=0"), second.out());
    assertEquals(1, agents().size());
  }

  @Test
  void aFailedRunThroughTheAgentExitsAsItWouldHaveAndSaysWhy() throws Exception {
    testbed.deployerProcess(env("30"), args(playbook("hostname")));
    Result failed = testbed.deployerProcess(env("30"), args(playbook("'echo no such thing >&2; exit 4'")));
    assertEquals(2, failed.exitCode(), failed.toString());
    assertTrue(failed.out().contains("no such thing"), failed.out());
    assertTrue(failed.out().contains("failed=1"), failed.out());
    Result mistake = testbed.deployerProcess(env("30"), List.of("play", work.resolve("missing.yml").toString(), "-i",
        testbed.inventory().toString()));
    assertEquals(1, mistake.exitCode(), mistake.toString());
    assertTrue(mistake.out().contains("missing.yml"), mistake.out());
  }

  @Test
  void withPersistOffNoAgentIsLeft() throws Exception {
    Result run = testbed.deployerProcess(env("0"), args(playbook("hostname")));
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(agents().isEmpty());
  }

  @Test
  void anAgentWithNothingToDoEndsAndTakesItsSocketAlong() throws Exception {
    Result run = testbed.deployerProcess(env("2s"), args(playbook("hostname")));
    assertEquals(0, run.exitCode(), run.toString());
    Testbed.waitUntil("the idle agent ends", Duration.ofSeconds(20), () -> agents().isEmpty());
    try (var sockets = Files.list(work.resolve("deployer"))) {
      assertTrue(sockets.noneMatch(p -> p.toString().endsWith(".sock")));
    }
  }

  @Test
  void aRunWhileAnotherGoesOnRunsInItsOwnJvm() throws Exception {
    testbed.deployerProcess(env("30"), args(playbook("hostname")));
    Process slow = client(args(playbook("'touch " + marker + "; sleep 8'")));
    Testbed.waitUntil("the slow run is on the host", Duration.ofSeconds(30),
        () -> Files.exists(testbed.hostFile("h1", marker)));
    Result quick = testbed.deployerProcess(env("30"), args(playbook("hostname"), "--profile"));
    assertEquals(0, quick.exitCode(), quick.toString());
    assertFalse(KEPT.matcher(quick.out()).find(), "the busy agent's connection is not shared:\n" + quick.out());
    assertTrue(slow.isAlive(), "the quick run finished while the slow one still ran");
    assertEquals(0, slow.waitFor());
  }

  @Test
  void killingTheClientMidRunEndsTheAgentAsItWouldHaveEndedItsOwnJvm() throws Exception {
    testbed.deployerProcess(env("30"), args(playbook("hostname")));
    List<ProcessHandle> agents = agents();
    assertEquals(1, agents.size());
    Process client = client(args(playbook("'touch " + marker + "; sleep 60'")));
    Testbed.waitUntil("the run is on the host", Duration.ofSeconds(30), () -> Files.exists(testbed.hostFile("h1", marker)));
    client.destroyForcibly();
    Testbed.waitUntil("the agent ends with its client", Duration.ofSeconds(10), () -> !agents.get(0).isAlive());
    Result next = testbed.deployerProcess(env("30"), args(playbook("hostname")));
    assertEquals(0, next.exitCode(), next.toString());
  }

  @Test
  void aKnownHostsFileChangedSinceMeansANewConnectionCheckedAgainstIt() throws Exception {
    Path knownHosts = work.resolve("known_hosts");
    Files.copy(testbed.knownHosts(), knownHosts);
    Path inventory = work.resolve("inventory.yml");
    Files.writeString(inventory, Files.readString(testbed.inventory())
        .replace("known_hosts: " + testbed.knownHosts(), "known_hosts: " + knownHosts));
    List<String> args = List.of("play", playbook("hostname").toString(), "-i", inventory.toString(), "--profile");
    assertEquals(0, testbed.deployerProcess(env("30"), args).exitCode());
    // h1's key replaced by another host's: a kept connection must not carry the run past the check.
    String h1 = testbed.address("h1");
    List<String> lines = Files.readAllLines(knownHosts);
    String otherKey = lines.stream().filter(l -> !l.startsWith(h1 + " ")).findFirst().orElseThrow().split(" ", 2)[1];
    Files.write(knownHosts, lines.stream().map(l -> l.startsWith(h1 + " ") ? h1 + " " + otherKey : l).toList());
    Result refused = testbed.deployerProcess(env("30"), args);
    assertEquals(3, refused.exitCode(), refused.toString());
    assertFalse(KEPT.matcher(refused.out()).find(), refused.out());
  }

  private Process client(List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of("java", "-jar", testbed.projectDir().resolve("target/deployer.jar").toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(work.resolve("client-" + UUID.randomUUID() + ".log").toFile());
    // The environment Testbed.deployerProcess gives its runs: the same agent serves both.
    List.of("SSH_AUTH_SOCK", "DEPLOYER_KEY_PASSPHRASE", "DEPLOYER_BECOME_PASS").forEach(builder.environment()::remove);
    builder.environment().putAll(env("30"));
    return builder.start();
  }
}
