package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

  /** The engine's version as a constraint takes it: "20.10.24+dfsg1" is 20.10.24. */
  private static String numeric(String version) {
    return String.join(".", dev.deployer.docker.VersionConstraint.numbers(version).stream().map(String::valueOf).toList());
  }

  @Test
  void theInstalledVersionSatisfiesAndItsFactsAreRegistered() throws IOException {
    String engine = engine();
    String version = numeric(engine);
    Result run = play("""
            - ensure_docker_version: {version: "%s", facts: true}
              register: docker
            - command: "echo driver={{docker.storage_driver}} cgroup={{docker.cgroup_version}}"
              register: shown
            - command: "test -n '{{docker.disk_free_bytes}}'"
        """.formatted(version), "-v");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("ok: [h1] Docker " + engine + " satisfies " + version + " [storage "), run.out());
    assertTrue(run.out().contains("driver=overlay2 cgroup="), run.out());
  }

  @Test
  void aVersionAptCannotReachFailsBeforeTouchingAnything() throws IOException {
    String before = engine();
    // Whatever apt offers this host, a version above it is out of apt's reach.
    String candidate = testbed.exec("h1", "sh", "-c", "LC_ALL=C apt-cache policy docker.io").lines().map(String::trim)
        .filter(line -> line.startsWith("Candidate:")).findFirst().orElseThrow().substring("Candidate:".length()).trim();
    String offered = EnsureDockerVersionTask.upstreamVersion(candidate);
    Result run = play("    - ensure_docker_version: {version: \">" + offered + "\", install: distro}\n");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.out().contains("failed: [h1] apt offers docker.io " + offered + ", which does not satisfy >" + offered),
        run.out());
    assertTrue(run.out().contains("nothing was changed"), run.out());
    assertEquals(before, engine());
  }

  @Test
  void checkModeSaysWhatItWouldInstall() throws IOException {
    Result run = play("    - ensure_docker_version: {version: \"27.3.*\", install: docker-ce}\n", "--check");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.out().contains("changed: [h1] would add Docker's apt repository (https://download.docker.com/linux)"
        + " and install docker-ce matching 27.3.*"), run.out());
    assertEquals(1, testbed.status("h1", "test", "-e", "/etc/apt/sources.list.d/docker.list"),
        "check mode added an apt source on the host");
  }

  @Test
  void installNoneOnlyReports() throws IOException {
    String engine = engine();
    String version = numeric(engine);
    Result run = play("    - ensure_docker_version: {version: \"<" + version + "\", install: none}\n");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.out().contains("Docker " + engine + " does not satisfy <" + version + ", and install is none"), run.out());
  }
}
