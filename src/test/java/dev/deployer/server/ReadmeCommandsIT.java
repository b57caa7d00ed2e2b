package dev.deployer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.deployer.testbed.Apps;
import dev.deployer.testbed.Testbed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Coming from" sections, run as they are written: the blocks marked
 * {@code <!-- ReadmeCommandsIT: NAME -->} are taken from README.md (a block that goes missing fails
 * here), the shell ones run by bash with the variables they name set, the YAML ones become the
 * server's projects. The seeds' own payload and curl lines, with deployer's URL, against a real
 * server deploying to the testbed.
 */
class ReadmeCommandsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern BLOCK = Pattern.compile("<!-- ReadmeCommandsIT: ([a-z-]+) -->\\n```[a-z]*\\n(.*?)\\n```",
      Pattern.DOTALL);
  private static final String IPD_HOST = "h3";
  private static final int IPD_PORT = 18181;
  private static final String PASSWORD = "readme-password-123";
  private final Testbed testbed = new Testbed();
  private final String id = "rd" + UUID.randomUUID().toString().substring(0, 6);
  private ServerProcess server;

  @TempDir Path work;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.kill();
    }
    testbed.removeContainers(id, IPD_HOST);
    testbed.status(IPD_HOST, "docker", "image", "rm", "myapp:" + id);
    testbed.status(IPD_HOST, "rm", "-rf", "/opt/myapp");
  }

  @Test
  void ipdsUserRecipeUploadAndStatusWorkAsWritten() throws Exception {
    Apps.build(testbed, work.resolve("images"), IPD_HOST, Map.of("myapp:" + id, Apps.GOOD));
    testbed.docker(IPD_HOST, "save", "--output", "/tmp/" + id + ".tar", "myapp:" + id);
    Files.copy(testbed.hostFile(IPD_HOST, "/tmp/" + id + ".tar"), work.resolve("myapp.tar"));
    testbed.exec(IPD_HOST, "rm", "-f", "/tmp/" + id + ".tar");
    testbed.docker(IPD_HOST, "image", "rm", "myapp:" + id);
    // An IPD control.sh: the check fails while the container is missing, deploy returns 1 on success.
    Files.write(work.resolve("package.tar.gz"), Tars.tar(true, Tars.Entry.file("control.sh", """
        #!/bin/sh
        case "$1" in
          check) docker inspect %1$s >/dev/null 2>&1 && exit 1; exit 0 ;;
          prepare) echo "$PROJECT $DEPLOY" > prepared ;;
          deploy) docker rm -f %1$s >/dev/null 2>&1; docker run -d --name %1$s -p %2$d:8080 "$IMAGE" && exit 1; exit 5 ;;
        esac
        """.formatted(id, IPD_PORT))));

    Path users = work.resolve("ipd-users.txt");
    sh("ipd-user", Map.of("PASSWORD", PASSWORD, "AUTH_DB", users.toString()));
    assertTrue(Files.readString(users).startsWith("USER:ci:"), Files.readString(users));

    ObjectNode projects = (ObjectNode) yaml("ipd-project").get("projects");
    ((ObjectNode) projects.get("myapp")).put("hosts", IPD_HOST); // the README's "here" is this machine's own Docker
    startServer(projects, Map.of("AUTH_DB", users.toString()));

    String uploaded = sh("ipd-upload", Map.of("PASSWORD", PASSWORD, "API", server.base()));
    assertTrue(JSON.readTree(uploaded).has("deployment"), uploaded);
    String deployment = JSON.readTree(uploaded).get("deployment").asText();
    server.awaitEnd("myapp", deployment, ServerProcess.basic("ci", PASSWORD));
    JsonNode status = JSON.readTree(sh("ipd-status", Map.of("PASSWORD", PASSWORD, "API", server.base(), "DEPLOY", deployment)));
    assertEquals("ok", status.get("state").asText(), status + "\n" + Files.readString(server.log()));
    assertEquals("version " + id, Apps.get(testbed.address(IPD_HOST), IPD_PORT), "control.sh deploy ran the uploaded image");
    assertEquals("myapp " + deployment, Files.readString(testbed.hostFile(IPD_HOST, "/opt/myapp/prepared")).strip());
    assertTrue(Files.readString(users).startsWith("USER:ci:pbkdf2-sha256$"), "IPD's hash is replaced at the first login");
  }

  @Test
  void gopdatersCurlWithDockerHubsPayloadWorksAsWritten() throws Exception {
    String token = "readme-" + UUID.randomUUID();
    Path jar = testbed.projectDir().resolve("target/deployer.jar");
    ServerProcess.passwd(jar, work.resolve("users.txt"), "admin", "ADMIN", PASSWORD);
    startServer((ObjectNode) yaml("dockerhub-project").get("projects"), Map.of("HOOK_TOKEN", token));

    String answer = sh("dockerhub-curl", Map.of("API", server.base(), "HOOK_TOKEN", token));
    assertTrue(answer.startsWith("HTTP/1.1 202"), answer);
    String deployment = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n"))).get("deployment").asText();
    JsonNode status = server.awaitEnd("everything", deployment, ServerProcess.basic("admin", PASSWORD));
    assertEquals("ok", status.get("state").asText(), status.toString());
    String log = server.get("/logs/everything/" + deployment, ServerProcess.basic("admin", PASSWORD)).body();
    assertTrue(log.contains("no running container runs notarock/portfolio-ng"), log);
    JsonNode info = JSON.readTree(server.get("/info", ServerProcess.basic("admin", PASSWORD)).body());
    assertEquals(1, info.path("callbacks").path("skipped").asInt(), "Docker Hub's callback_url is not called from here: " + info);
  }

  /**
   * The server's config: this test's listener, the testbed's inventory, and no callback host but
   * loopback (the payload's callback_url is Docker Hub's, never to be called from a test), with the
   * README's projects.
   */
  private void startServer(ObjectNode projects, Map<String, String> env) throws Exception {
    Path jar = testbed.projectDir().resolve("target/deployer.jar");
    server = new ServerProcess(jar, work, env);
    ObjectNode config = YAML.createObjectNode()
        .put("listen", "127.0.0.1:" + server.port)
        .put("api_root", "/deploy")
        .put("inventory", testbed.inventory().toString())
        .put("data_dir", "data");
    if (Files.exists(work.resolve("users.txt"))) {
      config.put("users", "users.txt");
    }
    config.putArray("callback_hosts").add("127.0.0.1");
    config.set("projects", projects);
    YAML.writeValue(work.resolve("server.yml").toFile(), config);
    server.start();
  }

  /**
   * Runs a README shell block in the test's directory with the variables it names: its standard
   * output, as a user would pipe it (curl's progress meter goes to standard error, kept for errors).
   */
  private String sh(String name, Map<String, String> vars) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", block(name)).directory(work.toFile());
    builder.environment().putAll(vars);
    Path errors = Files.createTempFile(work, "stderr", ".txt");
    Process process = builder.redirectError(errors.toFile()).start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), name + " still running");
    assertEquals(0, process.exitValue(), name + ": " + out + Files.readString(errors));
    return out;
  }

  private JsonNode yaml(String name) throws Exception {
    return YAML.readTree(block(name));
  }

  private String block(String name) {
    try {
      Matcher matcher = BLOCK.matcher(Files.readString(testbed.projectDir().resolve("README.md")));
      while (matcher.find()) {
        if (matcher.group(1).equals(name)) {
          return matcher.group(2);
        }
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return fail("README.md has no block marked <!-- ReadmeCommandsIT: " + name + " -->");
  }
}
