package dev.deployer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deployer.testbed.Apps;
import dev.deployer.testbed.Testbed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry push upgrades a unit: a server project that runs unit: app/upgrade, on a real host. */
class ServerUnitIT {
  private static final String HOST = "h2";
  private static final int APP_PORT = 18141;
  private static final String TOKEN = "unit-it-token-" + UUID.randomUUID();
  private final Testbed testbed = new Testbed();
  private final String id = "su" + UUID.randomUUID().toString().substring(0, 6);
  private final String repo = testbed.registry() + "/it/" + id;
  private ServerProcess server;

  @TempDir Path work;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.kill();
    }
    testbed.removeContainers(id, HOST);
  }

  @Test
  void eachPushRecreatesTheUnitsContainerOnTheNewImage() throws Exception {
    Apps.build(testbed, work.resolve("images"), "h1", Map.of(id + ":v1", Apps.GOOD, id + ":v2", Apps.GOOD));
    for (String tag : new String[] {"v1", "v2"}) {
      testbed.docker("h1", "tag", id + ":" + tag, repo + ":" + tag);
      testbed.docker("h1", "push", repo + ":" + tag);
    }
    Files.createDirectories(work.resolve("units"));
    Files.writeString(work.resolve("units/app.yml"), """
        hosts: %s
        containers:
          %s:
            image: "{{image}}"
            ports: ["%d:8080"]
            stop_timeout: 1
        """.formatted(HOST, id, APP_PORT));
    server = new ServerProcess(testbed.projectDir().resolve("target/deployer.jar"), work, Map.of());
    Files.writeString(work.resolve("server.yml"), """
        listen: 127.0.0.1:%d
        api_root: /deploy
        inventory: %s
        data_dir: data
        projects:
          app:
            unit: app/upgrade
            hosts: %s
            repositories: ["%s"]
            tags: ["v*"]
            hook_token: "%s"
        """.formatted(server.port, testbed.inventory(), HOST, repo, TOKEN));
    server.start();

    for (String tag : new String[] {"v1", "v2"}) {
      push(tag);
      Testbed.waitUntil(HOST + " serves " + tag + " (server log: " + server.log() + ")", Duration.ofSeconds(90),
          () -> Apps.get(testbed.address(HOST), APP_PORT).equals("version " + tag));
      assertEquals(repo + ":" + tag, testbed.docker(HOST, "inspect", "-f", "{{.Config.Image}}", id));
    }
  }

  /** Docker Hub's hook for a push of repo:tag. */
  private void push(String tag) throws Exception {
    String body = "{\"push_data\": {\"tag\": \"" + tag + "\"}, \"repository\": {\"repo_name\": \"" + repo + "\"}}";
    var answer = server.post("/hooks/dockerhub/" + TOKEN, body, Map.of("Content-Type", "application/json"));
    assertEquals(202, answer.statusCode(), "the hook for " + tag + ": " + answer.body());
  }
}
