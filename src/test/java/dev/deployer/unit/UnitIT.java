package dev.deployer.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A two-container unit on a real host: a data container holding a volume and a service on it
 * (volumes_from), plus a one-shot job. Its data goes through backup, purge and restore byte for
 * byte; its test passes and fails as its checks say; variants and --check do what they claim.
 */
class UnitIT {
  private static final String HOST = "h1";
  private static final int PORT = 18131;
  private final Testbed testbed = new Testbed();
  private final String id = "u" + UUID.randomUUID().toString().substring(0, 6);
  private final String unit = id;
  private final String store = id + "-store";
  private final String web = id + "-web";
  private final String job = id + "-job";
  private final String volume = id + "-data";
  private final String image = id + "/web:1";
  private final String dest = "/srv/" + id + "-backups";

  @TempDir Path units;
  @TempDir Path fetched;

  @BeforeEach
  void writeUnit() throws IOException {
    Files.createDirectories(units.resolve("web"));
    Files.writeString(units.resolve("web/Dockerfile"), """
        ARG BASE
        FROM ${BASE}
        RUN mkdir -p /www && echo "hello from the unit" > /www/index.html
        CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
        """);
    Files.writeString(units.resolve(unit + ".yml"), """
        description: a service on a data container
        hosts: %1$s
        params:
          - {name: expected, default: hello, help: what the page must say}
          - {name: job_code, default: "0", help: how the job ends}
        containers:
          %2$s:
            data: true
            image: "{{base_image}}"
            volumes: ["%5$s:/data"]
            command: ["true"]
          %3$s:
            image: %6$s
            build: {src: web, build_args: {BASE: "{{base_image}}"}}
            volumes_from: [%2$s]
            ports: ["%7$d:8080"]
            stop_timeout: 0
            daemon:
              - url: "http://{{container_ip.%3$s}}:8080/"
                match: "{{expected}}"
          %4$s:
            image: "{{base_image}}"
            volumes_from: ["%2$s:ro"]
            command: [sh, -c, "ls /data >/dev/null && echo job done; exit {{job_code}}"]
            job: {exit_code: 0, log_match: job done}
        commands:
          mark:
            - exec: %3$s
              run: [touch, /data/mark-a]
              variants: [a]
            - exec: %3$s
              run: [touch, /data/mark-b]
              variants: [b]
            - exec: %3$s
              run: [touch, /data/mark-all]
        """.formatted(HOST, store, web, job, volume, image, PORT));
  }

  @AfterEach
  void removeAll() {
    testbed.removeContainers(id, HOST);
    testbed.removeContainers("test-" + unit + "-", HOST);
    testbed.status(HOST, "docker", "volume", "rm", volume, "test-" + unit + "-" + volume);
    testbed.status(HOST, "docker", "image", "rm", image);
    testbed.status(HOST, "rm", "-rf", dest);
  }

  private Result unit(String... args) {
    List<String> all = new ArrayList<>(List.of("unit", "run"));
    all.addAll(List.of(args));
    all.addAll(List.of("-i", testbed.inventory().toString(), "--units", units.toString()));
    return Testbed.deployer(all.toArray(String[]::new));
  }

  /** Every file in the volume with its SHA-256, as the service sees it. */
  private String files() {
    return testbed.docker(HOST, "exec", web, "sh", "-c", "cd /data && find . -type f -exec sha256sum {} + | sort -k 2");
  }

  @Test
  void backupPurgeStartAndRestoreBringTheSameBytesBack() throws Exception {
    Result started = unit(unit + "/start");
    assertEquals(0, started.exitCode(), started.toString());
    assertEquals("running", testbed.docker(HOST, "inspect", "-f", "{{.State.Status}}", web));
    assertEquals("created", testbed.docker(HOST, "inspect", "-f", "{{.State.Status}}", store));
    testbed.docker(HOST, "exec", web, "sh", "-c", "mkdir -p '/data/a dir/deeper' && echo one > '/data/a dir/deeper/f 1'"
        + " && dd if=/dev/urandom of=/data/blob bs=1k count=256 2>/dev/null && echo top > /data/top");
    String before = files();
    assertEquals(3, before.lines().count(), before);

    Result backup = unit(unit + "/backup", "--dest", dest, "--fetch", fetched.toString());
    assertEquals(0, backup.exitCode(), backup.toString());
    List<Path> archives;
    try (Stream<Path> list = Files.list(fetched)) {
      archives = list.filter(f -> f.toString().endsWith(".tar.gz")).toList();
    }
    assertEquals(1, archives.size(), archives.toString());
    Path local = archives.get(0);
    Path onHost = testbed.hostFile(HOST, dest + "/" + local.getFileName());
    assertEquals(sha256(onHost), sha256(local), "the fetched archive is the host's, byte for byte");
    assertTrue(Files.readString(onHost.resolveSibling(local.getFileName() + ".sha256")).startsWith(sha256(local)));

    Result refused = unit(unit + "/purge");
    assertEquals(1, refused.exitCode(), refused.toString());
    assertTrue(refused.err().contains("add --yes"), refused.err());
    Result purged = unit(unit + "/purge", "--yes");
    assertEquals(0, purged.exitCode(), purged.toString());
    assertEquals("", testbed.docker(HOST, "ps", "-a", "-q", "--filter", "name=" + id));
    assertNotEquals(0, testbed.status(HOST, "docker", "volume", "inspect", volume), "the volume is gone");
    assertNotEquals(0, testbed.status(HOST, "docker", "image", "inspect", image), "the unit's image is gone");

    assertEquals(0, unit(unit + "/start").exitCode());
    assertEquals("", files(), "a new, empty volume");
    Result restored = unit(unit + "/restore", "--dest", dest);
    assertEquals(0, restored.exitCode(), restored.toString());
    assertEquals(before, files(), "the same bytes, file by file");

    Result again = unit(unit + "/restore", "--dest", dest);
    assertEquals(2, again.exitCode(), again.toString());
    assertTrue(again.out().contains("holds 3 entries"), again.out());
    assertEquals(before, files());
  }

  @Test
  void theTestChecksTwinsAndFailsClearlyOnAWrongAnswerOrAFailedJob() throws Exception {
    Result passed = unit(unit + "/test");
    assertEquals(0, passed.exitCode(), passed.toString());
    assertTrue(passed.out().contains("daemon " + web + " answers"), passed.out());
    assertEquals("", testbed.docker(HOST, "ps", "-a", "-q", "--filter", "name=^" + id), "the live names are untouched");
    assertEquals("exited", testbed.docker(HOST, "inspect", "-f", "{{.State.Status}}", "test-" + unit + "-" + web), "stopped after");

    Result wrongText = unit(unit + "/test", "--expected", "goodbye");
    assertEquals(2, wrongText.exitCode(), wrongText.toString());
    assertTrue(wrongText.out().contains("body does not match /goodbye/: \"hello from the unit\""), wrongText.out());
    assertTrue(wrongText.out().contains("test of " + unit + " failed: daemon " + web + " answers"), wrongText.out());
    assertEquals("exited", testbed.docker(HOST, "inspect", "-f", "{{.State.Status}}", "test-" + unit + "-" + web),
        "a failed test still stops what it started");

    Result failedJob = unit(unit + "/test", "--job_code", "3", "--full");
    assertEquals(2, failedJob.exitCode(), failedJob.toString());
    assertTrue(failedJob.out().contains("job test-" + unit + "-" + job + " exited 3, expected 0"), failedJob.out());
    assertTrue(failedJob.out().contains("test of " + unit + " failed: job " + job + " ends well"), failedJob.out());
    assertEquals("", testbed.docker(HOST, "ps", "-a", "-q", "--filter", "name=test-" + unit), "--full purged the twins");
  }

  @Test
  void aVariantRunsExactlyItsOrdersAndCheckModeChangesNothing() throws Exception {
    assertEquals(0, unit(unit + "/start").exitCode());
    Result marked = unit(unit + "/mark:a");
    assertEquals(0, marked.exitCode(), marked.toString());
    assertEquals(List.of("mark-a", "mark-all"), testbed.docker(HOST, "exec", web, "ls", "/data").lines().toList());
    Result fromShell = Testbed.deployer("shell", "-i", testbed.inventory().toString(), "--units", units.toString(),
        "-c", "use " + HOST + "; unit " + unit + "/mark:b");
    assertEquals(0, fromShell.exitCode(), fromShell.toString());
    assertEquals(List.of("mark-a", "mark-all", "mark-b"), testbed.docker(HOST, "exec", web, "ls", "/data").lines().toList());

    assertEquals(0, unit(unit + "/backup", "--dest", dest).exitCode());
    String state = hostState();
    for (String command : UnitCommands.GENERATED) {
      Result checked = unit(unit + "/" + command, "--check", "-e", "dest=" + dest);
      // restore refuses a volume that holds data, under --check as it would for real
      assertTrue(checked.exitCode() == 0 || command.equals("restore") && checked.exitCode() == 2, command + ": " + checked);
      assertEquals(state, hostState(), command + " --check changed the host");
    }
  }

  /** What a unit command could change: its containers with state and image, volumes, images, backups, data. */
  private String hostState() {
    return sorted(testbed.docker(HOST, "ps", "-a", "--filter", "name=" + id, "--format", "{{.Names}} {{.State}} {{.Image}} {{.ID}}"))
        + sorted(testbed.docker(HOST, "volume", "ls", "-q", "--filter", "name=" + id))
        + sorted(testbed.docker(HOST, "images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}", id + "/*"))
        + testbed.exec(HOST, "ls", "-l", dest) + "\n"
        + testbed.docker(HOST, "exec", web, "ls", "-l", "/data");
  }

  private static String sorted(String lines) {
    return lines.lines().sorted().reduce("", (all, line) -> all + line + "\n");
  }

  private static String sha256(Path file) throws Exception {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    }
  }
}
