package dev.deployer.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistenceTest {
  @TempDir
  Path work;

  @Test
  void persistsSixtySecondsUnlessToldOtherwise() {
    assertEquals(Duration.ofSeconds(60), Persistence.setting(null));
    assertEquals(Duration.ofSeconds(90), Persistence.setting("90"));
    assertEquals(Duration.ofSeconds(5), Persistence.setting("5s"));
    assertEquals(Duration.ofMinutes(2), Persistence.setting("2m"));
    for (String off : new String[] {"0", "no", "off", "false"}) {
      assertEquals(Duration.ZERO, Persistence.setting(off), off);
    }
    IllegalArgumentException soon = assertThrows(IllegalArgumentException.class, () -> Persistence.setting("soon"));
    assertTrue(soon.getMessage().contains("DEPLOYER_PERSIST='soon'"), soon.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Persistence.setting("-5"));
  }

  @Test
  void onlyRunsThatAskTheTerminalNothingGoThroughAnAgent() {
    assertTrue(AgentClient.persistable(new String[] {"play", "site.yml", "-i", "hosts.yml", "-vC"}));
    assertTrue(AgentClient.persistable(new String[] {"deploy", "web", "--limit", "web1"}));
    assertFalse(AgentClient.persistable(new String[] {"play", "site.yml", "--ask-become-pass"}));
    assertFalse(AgentClient.persistable(new String[] {"play", "site.yml", "-bK"}));
    assertFalse(AgentClient.persistable(new String[] {"play", "--help"}));
    assertFalse(AgentClient.persistable(new String[] {"shell"}));
    assertFalse(AgentClient.persistable(new String[] {"serve", "-c", "server.yml"}));
    assertFalse(AgentClient.persistable(new String[] {}));
    // After "--" an argument is a value, not a flag.
    assertTrue(AgentClient.persistable(new String[] {"play", "--", "-K"}));
  }

  @Test
  void anotherDirectoryEnvironmentOrBuildIsAnotherAgent() throws Exception {
    Path jar = Files.writeString(work.resolve("deployer.jar"), "one build");
    Map<String, String> env = Map.of("PATH", "/usr/bin", "DEPLOYER_INVENTORY", "hosts.yml", "_", "/usr/bin/deployer");
    Path socket = Persistence.socket(work, jar.toString(), "/srv/app", env, 256);
    assertEquals(work, socket.getParent());
    assertTrue(socket.getFileName().toString().matches("agent-[0-9a-f]{32}\\.sock"));
    // The shell's "_" (the last command) changes from one command to the next; it is not the run's.
    assertEquals(socket, Persistence.socket(work, jar.toString(), "/srv/app",
        Map.of("PATH", "/usr/bin", "DEPLOYER_INVENTORY", "hosts.yml", "_", "/bin/ls"), 256));
    assertNotEquals(socket, Persistence.socket(work, jar.toString(), "/srv/other", env, 256));
    assertNotEquals(socket, Persistence.socket(work, jar.toString(), "/srv/app",
        Map.of("PATH", "/usr/bin", "DEPLOYER_INVENTORY", "staging.yml"), 256));
    assertNotEquals(socket, Persistence.socket(work, jar.toString(), "/srv/app", env, 1024));
    Files.writeString(jar, "a new build of it");
    assertNotEquals(socket, Persistence.socket(work, jar.toString(), "/srv/app", env, 256));
  }

  @Test
  void theSocketsDirectoryIsMadePrivateAndOneOthersMayEnterIsRefused() throws Exception {
    Path made = Persistence.privateDirectory(work.resolve("deployer"));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
    Path open = Files.createDirectory(work.resolve("open"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxr-xr-x")));
    assertNull(Persistence.privateDirectory(open));
    Path link = Files.createSymbolicLink(work.resolve("link"), made);
    assertNull(Persistence.privateDirectory(link));
  }
}
