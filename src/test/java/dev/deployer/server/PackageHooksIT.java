package dev.deployer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.testbed.Apps;
import dev.deployer.testbed.Testbed;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IPD's flow through deployer serve: an upload of an image and a package whose control.sh (check,
 * prepare, deploy; 1 is success) records its environment and runs the image with docker; a deploy
 * that returns another code becomes the deployment's state, as IPD reported it.
 */
class PackageHooksIT {
  private static final String HOST = "h3";
  private static final int APP_PORT = 18151;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Testbed testbed = new Testbed();
  private final String id = "pk" + UUID.randomUUID().toString().substring(0, 6);
  private final String dir = "/srv/" + id;
  private ServerProcess server;

  @TempDir Path work;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.kill();
    }
    testbed.removeContainers(id, HOST);
    testbed.status(HOST, "rm", "-rf", dir);
  }

  private String control(String deploy) {
    return """
        #!/bin/sh
        case "$1" in
          check) env | grep -E '^(DEPLOY|PROJECT|IMAGE|TAG)=' | sort > %1$s/env.txt
                 echo checking; docker inspect %2$s >/dev/null 2>&1 && exit 1; exit 0 ;;
          prepare) echo preparing; touch %1$s/prepared ;;
          deploy) %3$s ;;
        esac
        """.formatted(dir, id, deploy);
  }

  @Test
  void anUploadedImageAndPackageRunControlShAndItsCodeIsTheState() throws Exception {
    Apps.build(testbed, work.resolve("images"), HOST, Map.of(id + ":u1", Apps.GOOD));
    testbed.docker(HOST, "save", "--output", dir + "-image.tar", id + ":u1");
    byte[] image = Files.readAllBytes(testbed.hostFile(HOST, dir + "-image.tar"));
    testbed.exec(HOST, "rm", "-f", dir + "-image.tar");
    testbed.docker(HOST, "image", "rm", id + ":u1");

    Files.writeString(work.resolve("server.yml"), """
        listen: 127.0.0.1:0
        api_root: /deploy
        inventory: %s
        data_dir: data
        projects:
          ipd:
            package: {control: control.sh, dest: %s/package}
            hosts: %s
            repositories: ["%s"]
            tags: ["u*"]
          shipped:
            playbook: %s
            hosts: %s
            repositories: ["%s"]
        """.formatted(testbed.inventory(), dir, HOST, id, testbed.projectDir().resolve("playbooks/hook-deploy.yml"), HOST, id));
    Path jar = testbed.projectDir().resolve("target/deployer.jar");
    // IPD's own users file, unsalted SHA-256, named by IPD's AUTH_DB: read as it is, replaced at each good login.
    Files.writeString(work.resolve("ipd-users.txt"), "USER:ci:" + sha256("ci-password-123") + "\nADMIN:admin:"
        + sha256("admin-password-123") + "\n");
    server = new ServerProcess(jar, work, Map.of("AUTH_DB", work.resolve("ipd-users.txt").toString(),
        "LOG_DIR", work.resolve("ipd-logs").toString()));
    Files.writeString(work.resolve("server.yml"), Files.readString(work.resolve("server.yml"))
        .replace("127.0.0.1:0", "127.0.0.1:" + server.port));
    server.start();
    testbed.exec(HOST, "mkdir", "-p", dir);

    String deploy = "docker rm -f " + id + " >/dev/null 2>&1; docker run -d --name " + id + " -p " + APP_PORT
        + ":8080 \"$IMAGE\" >/dev/null && echo deployed && exit 1; exit 7";
    JsonNode done = upload(Map.of("image", image, "package", Tars.tar(true, Tars.Entry.file("control.sh", control(deploy)))));
    assertEquals("ok", done.get("state").asText(), done + "\n" + Files.readString(server.log()));
    assertEquals("version u1", Apps.get(testbed.address(HOST), APP_PORT));
    assertEquals(List.of("DEPLOY=" + done.get("deployment").asText(), "IMAGE=" + id + ":u1", "PROJECT=ipd", "TAG=u1"),
        Files.readAllLines(testbed.hostFile(HOST, dir + "/env.txt")));
    assertTrue(Files.exists(testbed.hostFile(HOST, dir + "/prepared")), "the check failed (no container yet), so prepare ran");
    assertTrue(Files.readString(work.resolve("ipd-users.txt")).contains("USER:ci:pbkdf2-sha256$"),
        "ci's IPD hash was replaced at its login");

    // Only a package this time; its deploy returns 3: that is the state, and its words are in the log.
    testbed.exec(HOST, "rm", "-f", dir + "/prepared");
    JsonNode broken = upload(Map.of("package", Tars.tar(true,
        Tars.Entry.file("control.sh", control("echo 'the disk is full' >&2; exit 3")))));
    assertEquals("3", broken.get("state").asText(), broken.toString());
    assertEquals(List.of("DEPLOY=" + broken.get("deployment").asText(), "PROJECT=ipd"),
        Files.readAllLines(testbed.hostFile(HOST, dir + "/env.txt")), "no image came: no IMAGE, no TAG");
    String log = server.get("/logs/ipd/" + broken.get("deployment").asText(), ServerProcess.basic("admin", "admin-password-123")).body();
    assertTrue(log.contains("the disk is full") && log.contains("deploy returned 3"), log);
    assertTrue(Files.exists(work.resolve("ipd-logs").resolve(broken.get("deployment").asText() + ".log")), "in IPD's LOG_DIR");
    assertTrue(!Files.exists(testbed.hostFile(HOST, dir + "/prepared")), "the check passed (the container runs): no prepare");
    assertEquals("version u1", Apps.get(testbed.address(HOST), APP_PORT), "a failed deploy left the old one serving");

    // The checked-in hook playbook takes a package alone: shipped to the default place, nothing else to do.
    JsonNode shipped = upload("shipped", Map.of("package", Tars.tar(true, Tars.Entry.file("site/index.html", "<p>hi</p>"))));
    assertEquals("ok", shipped.get("state").asText(), shipped.toString());
    assertEquals("<p>hi</p>", Files.readString(testbed.hostFile(HOST, "/opt/deployer/projects/shipped/package/site/index.html")));
    testbed.exec(HOST, "rm", "-rf", "/opt/deployer/projects/shipped");
  }

  private static String sha256(String text) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private JsonNode upload(Map<String, byte[]> files) throws Exception {
    return upload("ipd", files);
  }

  private JsonNode upload(String project, Map<String, byte[]> files) throws Exception {
    String boundary = "----it" + UUID.randomUUID();
    HttpResponse<String> response = server.post("/upload", ServerProcess.form(boundary, Map.of("project", project), files),
        Map.of("Authorization", ServerProcess.basic("ci", "ci-password-123"), "Content-Type", "multipart/form-data; boundary=" + boundary));
    assertEquals(202, response.statusCode(), response.body());
    String deployment = JSON.readTree(response.body()).get("deployment").asText();
    return server.awaitEnd(project, deployment, ServerProcess.basic("ci", "ci-password-123"));
  }
}
