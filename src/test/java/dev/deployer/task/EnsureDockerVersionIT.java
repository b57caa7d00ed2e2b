package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ensure_docker_version against the testbed hosts' real engines (Debian's docker.io). */
class EnsureDockerVersionIT {
  @TempDir Path work;
  private final Testbed testbed = new Testbed();

  private Result play(String task, String... extra) throws IOException {
    Path book = work.resolve("docker.yml");
    Files.writeString(book, "- hosts: h1\n  tasks:\n" + task);
    String[] args = new String[4 + extra.length];
    System.arraycopy(new String[] {"play", book.toString(), "-i", testbed.inventory().toString()}, 0, args, 0, 4);
    System.arraycopy(extra, 0, args, 4, extra.length);
    return Testbed.deployer(args);
  }

  private String engine() {
    return testbed.docker("h1", "version", "--format", "{{.Server.Version}}");
  }

  @Test
  void theInstalledVersionSatisfiesAndItsFactsAreRegistered() throws IOException {
    Result run = play("""
            - ensure_docker_version: {version: ">=20.10", facts: true}
              register: docker
            - command: "echo driver={{docker.storage_driver}} cgroup={{docker.cgroup_version}}"
              register: shown
            - command: "test -n '{{docker.disk_free_bytes}}'"
        """, "-v");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("ok: [h1] Docker " + engine() + " satisfies >=20.10 [storage "), run.out());
    assertTrue(run.out().contains("driver=overlay2 cgroup="), run.out());
  }

  @Test
  void aVersionAptCannotReachFailsBeforeTouchingAnything() throws IOException {
    String before = engine();
    Result run = play("    - ensure_docker_version: {version: \">=27.0\", install: distro}\n");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.out().contains("failed: [h1] apt offers docker.io 20.10.24, which does not satisfy >=27.0"), run.out());
    assertTrue(run.out().contains("nothing was changed"), run.out());
    assertEquals(before, engine());
  }

  @Test
  void checkModeSaysWhatItWouldInstall() throws IOException {
    Result run = play("    - ensure_docker_version: {version: \"27.3.*\", install: docker-ce}\n", "--check");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("changed: [h1] would add Docker's apt repository (https://download.docker.com/linux)"
        + " and install docker-ce matching 27.3.*"), run.out());
    assertFalse(Files.exists(Path.of("/etc/apt/sources.list.d/docker.list")), "check mode added an apt source");
  }

  @Test
  void installNoneOnlyReports() throws IOException {
    Result run = play("    - ensure_docker_version: {version: \"<20\", install: none}\n");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.out().contains("does not satisfy <20, and install is none"), run.out());
  }
}
