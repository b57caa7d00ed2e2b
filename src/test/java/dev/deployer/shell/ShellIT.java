package dev.deployer.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Testbed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deployer shell on the testbed, typed into a real terminal (tmux), and as a script. */
class ShellIT {
  private static final Testbed TESTBED = new Testbed();
  private static final Duration SHORT = Duration.ofSeconds(20);

  @TempDir Path home;

  @AfterAll
  static void removeDemo() {
    TESTBED.removeContainers("hello", "h1");
  }

  private String deployer() {
    return "java -jar " + TESTBED.projectDir().resolve("target/deployer.jar") + " shell -i " + TESTBED.inventory();
  }

  @Test
  void anOperatorSession() throws IOException {
    Path history = home.resolve("history");
    try (Tmux tmux = new Tmux(deployer(), TESTBED.projectDir(), Map.of("DEPLOYER_HISTORY", history.toString()))) {
      tmux.await("deployer \\[all: 3\\]>$", 0, SHORT);

      // The mark is taken before typing: the answer may be on the screen before a later look.
      int mark = tmux.screen().length();
      tmux.line("use h1");
      tmux.await("1 host: h1\\s+deployer \\[h1: 1\\]>$", mark, SHORT);

      mark = tmux.screen().length();
      tmux.line("run command cmd=\"docker ps --format '{{=<% %>=}}{{.ID}}'\"");
      tmux.await("changed: \\[h1\\].*PLAY RECAP.*h1 : ok=0 changed=1 failed=0.*deployer \\[h1: 1\\]>$", mark, SHORT);

      // Tab completes a task type in place.
      tmux.send("-l", "run swap_co");
      tmux.send("Tab");
      tmux.await("deployer \\[h1: 1\\]> run swap_container$", mark, SHORT);
      tmux.send("C-u");

      mark = tmux.screen().length();
      tmux.line("play playbooks/demo.yml");
      tmux.await("PLAY RECAP.*h1 : .*failed=0 .*deployer \\[h1: 1\\]>$", mark, Duration.ofMinutes(3));

      mark = tmux.screen().length();
      tmux.line("ps");
      // The demo runs hello behind the host's proxy, whose container is listed too.
      String screen = tmux.await("HOST +NAME +IMAGE +STATUS +PORTS\\s+(h1 +deployer-proxy .*)?h1 +hello +hello:1\\.0\\.0 +Up .*healthy"
          + ".*deployer \\[h1: 1\\]>$", mark, SHORT);
      assertTrue(screen.substring(mark).matches("(?s).*h1 +deployer-proxy +testbed/caddy:2 +Up.*"), "the proxy is listed");
      assertFalse(screen.substring(mark).contains("h2"), "ps lists only the hosts in use");

      // Ctrl-C stops the remote command, and the rest of the line; the shell stays.
      mark = tmux.screen().length();
      tmux.line("run command sleep 347; use h2");
      waitUntilRunning("sleep 347");
      tmux.send("C-c");
      tmux.await("Cancelling.*failed: \\[h1\\] exit code 130.*deployer \\[h1: 1\\]>$", mark, SHORT);
      assertFalse(TESTBED.exec("h1", "ps", "-eo", "args").contains("sleep 347"), "the remote sleep was stopped");

      mark = tmux.screen().length();
      tmux.line("use h2");
      tmux.await("deployer \\[h2: 1\\]>$", mark, SHORT);

      tmux.send("C-d");
      tmux.await("\\[exited 0\\]", mark, SHORT);
    }
    List<String> lines = Files.readAllLines(history, StandardCharsets.UTF_8);
    assertTrue(lines.stream().anyMatch(line -> line.endsWith(":use h1")), "history is kept: " + lines);
  }

  private static void waitUntilRunning(String command) {
    for (int i = 0; i < 100; i++) {
      if (TESTBED.exec("h1", "ps", "-eo", "args").contains(command)) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new AssertionError(command + " never started on h1");
  }

  @Test
  void commandsFromTheCommandLineAndFromStandardInput() throws Exception {
    Testbed.Result result = Testbed.deployer("shell", "-i", TESTBED.inventory().toString(), "-c",
        "use h2,h3; run command cmd='echo hi from {{inventory_hostname}}'; ps");
    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.out().contains("h2 | hi from h2") && result.out().contains("h3 | hi from h3"), result.toString());
    assertTrue(result.out().contains("HOST  NAME"), result.toString());

    Process piped = new ProcessBuilder("sh", "-c", "printf 'use h3\\nrun command false\\n' | " + deployer())
        .redirectErrorStream(true).start();
    String out = new String(piped.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, piped.waitFor(), "the last command's exit code (a failed task):\n" + out);
    assertTrue(out.contains("1 host: h3") && out.contains("failed: [h3]"), out);
  }
}
