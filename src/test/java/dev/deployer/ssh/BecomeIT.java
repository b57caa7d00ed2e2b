package dev.deployer.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Logging in as users who are not root, as the testbed's hosts have them: deploy (sudo without a
 * password), deploypw (sudo with one), dockerop (the docker group). The demo deploys through
 * become from a clean host; without it, the error names become.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BecomeIT {
  private static final Testbed testbed = new Testbed();
  private static final String HOST = "h2";
  private static Path work;

  @BeforeAll
  static void cleanHost() throws Exception {
    work = Files.createTempDirectory("deployer-become-it");
    testbed.removeContainers("hello", HOST);
    testbed.exec(HOST, "rm", "-rf", "/opt/deployer/apps/hello", "/opt/deployer/become-it");
    Files.writeString(work.resolve("whoami.yml"), """
        - hosts: web
          become: true
          tasks:
            - command: "test \\"$(id -u)\\" = 0"
            - command: "test \\"$(id -un)\\" = nobody"
              become_user: nobody
            - command: "test \\"$(id -un)\\" != root"
              become: false
            - sync_dir: {src: site, dest: /opt/deployer/become-it}
        """);
    Files.createDirectories(work.resolve("site"));
    Files.writeString(work.resolve("site/index.html"), "copied as root\n");
  }

  private static Result deployer(String user, Map<String, String> env, String playbook, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("play", playbook));
    args.addAll(List.of(more));
    return jar(user, env, args);
  }

  /** The jar with {@code args}, logged in as {@code user} on the one host, through an inventory for it. */
  private static Result jar(String user, Map<String, String> env, List<String> args) throws Exception {
    Path inventory = work.resolve(user + ".yml");
    Files.writeString(inventory, """
        all:
          vars:
            ansible_user: %s
            ansible_ssh_private_key_file: %s
            known_hosts: %s
            base_image: testbed/base:1
            proxy_image: testbed/caddy:2
          children:
            web:
              hosts:
                %s: {ansible_host: %s}
        """.formatted(user, testbed.dir().resolve("id_ed25519"), testbed.knownHosts(), HOST, testbed.address(HOST)));
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("-i", inventory.toString()));
    return testbed.deployerProcess(env, all);
  }

  private static String demo() {
    return testbed.projectDir().resolve("playbooks/demo.yml").toString();
  }

  @Test
  @Order(1)
  void withoutBecomeANonRootUserIsToldToUseIt() throws Exception {
    Result run = deployer("deploy", Map.of(), demo());
    assertEquals(2, run.exitCode(), run.out());
    assertTrue(run.out().contains("Permission denied") || run.out().contains("permission denied"), run.out());
    assertTrue(run.out().contains("without become: if this needs root, add 'become: true'"), run.out());
  }

  @Test
  @Order(2)
  void asDeployWithBecomeTheDemoDeploysAndASecondRunChangesNothing() throws Exception {
    Result first = deployer("deploy", Map.of(), demo(), "--become");
    assertEquals(0, first.exitCode(), first.out());
    assertFalse(first.out().contains(HOST + " : ok=4 changed=0"), "a clean host changes: " + first.out());
    assertEquals("root", testbed.exec(HOST, "stat", "-c", "%U", "/opt/deployer/apps/hello/Dockerfile").strip());
    Result second = deployer("deploy", Map.of(), demo(), "--become");
    assertEquals(0, second.exitCode(), second.out());
    assertTrue(second.out().contains("changed=0"), second.out());
  }

  @Test
  @Order(3)
  void playAndTaskKeywordsChooseWhoRunsEachTask() throws Exception {
    Result run = deployer("deploy", Map.of(), work.resolve("whoami.yml").toString());
    assertEquals(0, run.exitCode(), run.out());
    assertEquals("root 644", testbed.exec(HOST, "stat", "-c", "%U %a", "/opt/deployer/become-it/index.html").strip());
    assertEquals("copied as root", testbed.exec(HOST, "cat", "/opt/deployer/become-it/index.html").strip());
  }

  @Test
  @Order(4)
  void sudoWithAPasswordTakesItFromTheEnvironmentAndNeverShowsIt() throws Exception {
    String password = Files.readString(testbed.dir().resolve("deploypw.password")).strip();
    Result run = deployer("deploypw", Map.of("DEPLOYER_BECOME_PASS", password), work.resolve("whoami.yml").toString(), "-v");
    assertEquals(0, run.exitCode(), run.out());
    assertFalse(run.out().contains(password), run.out());
    Result wrong = deployer("deploypw", Map.of("DEPLOYER_BECOME_PASS", "not-the-password"), work.resolve("whoami.yml").toString());
    assertEquals(2, wrong.exitCode(), wrong.out());
    assertTrue(wrong.out().contains("cannot become root"), wrong.out());
    assertFalse(wrong.out().contains("not-the-password"), wrong.out());
    // A password given for a user whose sudo asks none is dropped, never handed to the shell.
    Result unneeded = deployer("deploy", Map.of("DEPLOYER_BECOME_PASS", "leak-check-7f3a"), work.resolve("whoami.yml").toString(), "-v");
    assertEquals(0, unneeded.exitCode(), unneeded.out());
    assertFalse(unneeded.out().contains("leak-check-7f3a"), unneeded.out());
  }

  @Test
  @Order(6)
  void theShellsKeptSessionsBecomeToo() throws Exception {
    Result run = jar("deploy", Map.of(), List.of("shell", "-c", "use " + HOST + "; play " + work.resolve("whoami.yml")));
    assertEquals(0, run.exitCode(), run.out());
    assertTrue(run.out().contains(HOST + " : ok=") && run.out().contains("failed=0"), run.out());
  }

  @Test
  @Order(5)
  void aDockerGroupUserRunsDockerWithoutBecome() throws Exception {
    Path playbook = work.resolve("docker.yml");
    Files.writeString(playbook, """
        - hosts: web
          tasks:
            - command: "docker ps --quiet"
              changed_when: false
        """);
    Result run = deployer("dockerop", Map.of(), playbook.toString());
    assertEquals(0, run.exitCode(), run.out());
  }

}
