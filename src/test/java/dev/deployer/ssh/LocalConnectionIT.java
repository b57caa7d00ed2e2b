package dev.deployer.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ansible_connection: local: deployer works on the machine it runs on, without SSH. The Docker it
 * drives is the one DOCKER_HOST names, here h1's testbed daemon (never this machine's own).
 */
class LocalConnectionIT {
  private final Testbed testbed = new Testbed();
  private final String name = "lc" + UUID.randomUUID().toString().substring(0, 6);

  @TempDir Path work;

  @AfterEach
  void removeContainer() {
    testbed.removeContainers(name, "h1");
  }

  @Test
  void aLocalHostRunsCommandsCopiesFilesAndDrivesDockerWithoutSsh() throws Exception {
    Files.writeString(work.resolve("hosts.yml"), """
        all:
          vars: {base_image: "testbed/base:1"}
          hosts:
            here: {ansible_connection: local}
        """);
    Files.createDirectories(work.resolve("site"));
    Files.writeString(work.resolve("site/index.html"), "hello from here\n");
    Path dest = work.resolve("copied");
    Files.writeString(work.resolve("play.yml"), """
        - hosts: here
          tasks:
            - sync_dir: {src: site, dest: "%1$s", delete: true}
            - container:
                name: %2$s
                image: "{{base_image}}"
                command: [sleep, "3600"]
                stop_timeout: 0
            - exec: {container: %2$s, run: [cat, /etc/hostname]}
              register: page
            - command: "docker exec %2$s cat /etc/hostname | grep -qx {{page.stdout_lines.0}} && grep -q 'hello from here' %1$s/index.html"
        """.formatted(dest, name));
    Map<String, String> env = Map.of("DOCKER_HOST", "unix://" + testbed.dir().resolve("h1/docker.sock"));
    List<String> args = List.of("play", work.resolve("play.yml").toString(), "-i", work.resolve("hosts.yml").toString());

    Result first = testbed.deployerProcess(env, args);
    assertEquals(0, first.exitCode(), first.toString());
    assertEquals("hello from here\n", Files.readString(dest.resolve("index.html")), "copied on this machine");
    assertEquals("running", testbed.docker("h1", "inspect", "-f", "{{.State.Status}}", name), "made by the daemon DOCKER_HOST names");

    Result again = testbed.deployerProcess(env, args);
    assertEquals(0, again.exitCode(), again.toString());
    assertTrue(again.out().contains("here : ok=2 changed=2"), "the copy and the container are as they were; exec and command"
        + " always run:\n" + again.out());
  }
}
