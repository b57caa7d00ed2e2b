package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exec task in each of its places on a real host, its output registered for the next task. */
class ExecIT {
  private static final String HOST = "h2";
  private final Testbed testbed = new Testbed();
  private final String name = "ex" + UUID.randomUUID().toString().substring(0, 6);

  @TempDir Path work;

  @AfterEach
  void removeContainers() {
    testbed.status(HOST, "docker", "rm", "-f", "-v", name, name + "-stopped");
  }

  private Result play(String tasks) throws Exception {
    return testbed.play(work, HOST, tasks);
  }

  /** An exec, then a command that fails unless the registered stdout (its last newline aside) is what is expected. */
  private Result expect(String exec, String stdout) throws Exception {
    return play("- exec: " + exec + "\n  register: out\n- command: >-\n    [ \"$(echo {{out.stdout}})\" = '" + stdout + "' ]\n");
  }

  @Test
  void inARunningContainerATemporaryOneACommitOfItsFilesAndTheHost() throws Exception {
    Result made = play("""
        - container: {name: %1$s, image: "{{base_image}}", volumes: ["/data"], command: [sleep, "3600"], stop_timeout: 0}
        - container: {name: %1$s-stopped, image: "{{base_image}}", state: created, volumes: ["/data"], command: ["true"]}
        """.formatted(name));
    assertEquals(0, made.exitCode(), made.toString());
    testbed.docker(HOST, "exec", name, "sh", "-c", "echo in-volume > /data/v && echo in-fs > /marker");

    Result running = expect("{container: " + name + ", run: [cat, /marker]}", "in-fs");
    assertEquals(0, running.exitCode(), running.toString());
    assertTrue(running.out().contains("ran in " + name), running.out());

    // A temporary container has the volumes but not what was written to the container's own files.
    assertEquals(0, expect("{container: " + name + ", type: temporary, run: [cat, /data/v]}", "in-volume").exitCode());
    Result noMarker = play("- exec: {container: " + name + ", type: temporary, run: [test, -e, /marker]}");
    assertEquals(2, noMarker.exitCode(), noMarker.toString());

    // A commit of its file system has both.
    Result committed = expect("{container: " + name + ", type: file_system, shell: 'echo $(cat /marker) $(cat /data/v)'}",
        "in-fs in-volume");
    assertEquals(0, committed.exitCode(), committed.toString());
    assertEquals("", testbed.docker(HOST, "images", "-q", "deployer-exec"), "the commit is removed afterwards");

    // Not running: in_running falls back to a temporary container, and says so.
    Result fallback = expect("{container: " + name + "-stopped, shell: \"echo $GREETING\", env: {GREETING: hi}}", "hi");
    assertEquals(0, fallback.exitCode(), fallback.toString());
    assertTrue(fallback.out().contains("is not running: ran in a temporary container"), fallback.out());

    Result host = expect("{container: host, run: [cat, /etc/hostname], workdir: /}", testbed.exec(HOST, "cat", "/etc/hostname").strip());
    assertEquals(0, host.exitCode(), host.toString());

    Result skipped = play("- exec: {container: " + name + ", run: [touch, /made], creates: /marker}");
    assertTrue(skipped.out().contains("/marker exists; not run"), skipped.out());
  }
}
