package dev.deployer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Playbooks run against the testbed: real sshd, real dockerd on every host. */
class PlaybookRunIT {
  private static final List<String> HOSTS = List.of("h1", "h2", "h3");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;
  private final Testbed testbed = new Testbed();
  /** Each test deploys its own app directory and image, so tests never see each other's state. */
  private final String id = "it" + UUID.randomUUID().toString().substring(0, 8);
  private Path playbook;

  @BeforeEach
  void writeApp() throws IOException {
    Path app = work.resolve("apps/hello");
    Files.createDirectories(app);
    try (Stream<Path> files = Files.list(testbed.projectDir().resolve("playbooks/apps/hello"))) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, app.resolve(file.getFileName()));
      }
    }
    playbook = work.resolve("site.yml");
    Files.writeString(playbook, """
        - name: Build hello
          hosts: web
          vars:
            app_dir: /opt/%1$s/hello
          tasks:
            - name: Copy sources
              sync_dir: {src: apps/hello, dest: "{{app_dir}}", delete: true, require: Dockerfile}
            - name: Build image
              docker_build:
                context: "{{app_dir}}"
                image: "%1$s:{{app_version}}"
                build_args: {BASE: "{{base_image}}", APP_VERSION: "{{app_version}}"}
            - name: Mark built
              command: "echo {{app_version}} > /opt/%1$s/built"
              args: {creates: "/opt/%1$s/built"}
        """.formatted(id));
  }

  private Result play(String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of(
        "play", playbook.toString(), "-i", testbed.inventory().toString(), "-e", "app_version=1.0"));
    args.addAll(List.of(extra));
    return Testbed.deployer(args.toArray(String[]::new));
  }

  private JsonNode report(Path file) throws IOException {
    return JSON.readTree(file.toFile()).get("hosts");
  }

  @Test
  void secondRunOfTheSamePlaybookChangesNothing() throws IOException {
    Path first = work.resolve("first.json");
    Result run1 = play("--report-json", first.toString());
    assertEquals(0, run1.exitCode(), run1.toString());
    for (String host : HOSTS) {
      assertEquals(3, report(first).get(host).get("changed").asInt(), run1.toString());
      // What a user would check: the files are on the host and the image is in its Docker.
      assertEquals("1.0\n", testbed.exec(host, "cat", "/opt/" + id + "/built"));
      assertTrue(testbed.exec(host, "cat", "/opt/" + id + "/hello/Dockerfile").contains("ARG BASE"));
      assertTrue(testbed.docker(host, "run", "--rm", id + ":1.0", "cat", "/www/index.html").contains("version 1.0"));
      assertEquals(64, testbed.docker(host, "image", "inspect", "--format",
          "{{ index .Config.Labels \"deployer.build-hash\" }}", id + ":1.0").trim().length());
      assertTrue(testbed.docker(host, "image", "ls", "--format", "{{.Repository}}:{{.Tag}}").contains(id + ":1.0"));
    }

    Path second = work.resolve("second.json");
    Result run2 = play("--report-json", second.toString());
    assertEquals(0, run2.exitCode(), run2.toString());
    for (String host : HOSTS) {
      JsonNode summary = report(second).get(host);
      assertEquals(0, summary.get("changed").asInt(), run2.toString());
      assertEquals(3, summary.get("ok").asInt(), run2.toString());
    }
    assertTrue(run2.out().contains("h1 : ok=3 changed=0 failed=0"), run2.out());
  }

  @Test
  void checkModeReportsWhatWouldChangeAndChangesNothing() throws IOException {
    assertEquals(0, play().exitCode());
    // Change the app and a build arg, then ask what would happen.
    Files.writeString(work.resolve("apps/hello/index.html"), "<h1>changed</h1>\n");
    Files.writeString(work.resolve("apps/hello/extra.txt"), "new file\n");
    List<String> before = HOSTS.stream().map(this::hostState).toList();

    Path report = work.resolve("check.json");
    Result check = Testbed.deployer("play", playbook.toString(), "-i", testbed.inventory().toString(),
        "-e", "app_version=2.0", "--check", "--report-json", report.toString());
    assertEquals(0, check.exitCode(), check.toString());
    for (String host : HOSTS) {
      JsonNode tasks = report(report).get(host).get("tasks");
      assertEquals("changed", tasks.get(0).get("status").asText(), check.out());
      assertTrue(tasks.get(0).get("message").asText().startsWith("would sync: 1 added, 1 changed"), check.out());
      assertTrue(tasks.get(0).get("diff").has("index.html"), check.out());
      assertEquals("changed", tasks.get(1).get("status").asText(), check.out());
      assertTrue(tasks.get(1).get("message").asText().startsWith("would build " + id + ":2.0"), check.out());
      // The marker file exists, so the command would not run: check mode reads, too.
      assertEquals("ok", tasks.get(2).get("status").asText(), check.out());
    }
    assertTrue(check.out().matches("(?s).*index\\.html: \\d+ bytes -> \\d+ bytes, sha256:[0-9a-f]{12}\n.*"), check.out());
    List<String> after = HOSTS.stream().map(this::hostState).toList();
    assertEquals(before, after);
  }

  /** Everything a deploy could touch on a host: images, containers, and the synced files. */
  private String hostState(String host) {
    // Sorted: Docker lists images made in the same second in no fixed order.
    return sorted(testbed.docker(host, "image", "ls", "-a", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"))
        + containers(host)
        + testbed.exec(host, "sh", "-c", "cd /opt/" + id + " && find . -type f -exec sha256sum {} + | sort");
  }

  /** Each container's ID, image, state and start time: a restart shows, a minute more of uptime does not. */
  private String containers(String host) {
    List<String> ids = testbed.docker(host, "ps", "-aq", "--no-trunc").lines().toList();
    if (ids.isEmpty()) {
      return "";
    }
    List<String> args = new java.util.ArrayList<>(List.of("inspect", "--format",
        "{{.Id}} {{.Config.Image}} {{.State.Status}} {{.State.StartedAt}}"));
    args.addAll(ids);
    return sorted(testbed.docker(host, args.toArray(String[]::new)));
  }

  private static String sorted(String lines) {
    return lines.lines().sorted().collect(java.util.stream.Collectors.joining("\n", "", "\n"));
  }

  @Test
  void anUnreachableHostIsReportedWhileTheOthersSucceed() throws IOException {
    Path report = work.resolve("cut.json");
    testbed.cut("h3");
    Result run;
    try {
      run = play("--connect-timeout", "3", "--report-json", report.toString());
    } finally {
      testbed.heal("h3");
    }
    assertEquals(3, run.exitCode(), run.toString());
    assertEquals(1, report(report).get("h3").get("unreachable").asInt(), run.toString());
    assertTrue(run.out().contains("unreachable: [h3] cannot connect to h3"), run.out());
    for (String host : List.of("h1", "h2")) {
      assertEquals(3, report(report).get(host).get("changed").asInt(), run.toString());
      assertEquals(0, report(report).get(host).get("failed").asInt(), run.toString());
      assertEquals("1.0\n", testbed.exec(host, "cat", "/opt/" + id + "/built"));
    }
    assertNotEquals(0, testbed.status("h3", "test", "-e", "/opt/" + id + "/built"));
  }
}
