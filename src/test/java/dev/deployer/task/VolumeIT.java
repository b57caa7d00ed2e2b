package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** volume_backup and volume_restore on a real host: the same bytes back, checked, and nothing overwritten by accident. */
class VolumeIT {
  private static final String HOST = "h3";
  private final Testbed testbed = new Testbed();
  private final String data = "vol" + UUID.randomUUID().toString().substring(0, 6);
  private final String backups = "/srv/it-backups/" + data;

  @TempDir Path work;

  @AfterEach
  void cleanUp() {
    testbed.status(HOST, "docker", "rm", "-f", "-v", data);
    testbed.status(HOST, "rm", "-rf", backups);
  }

  private Result play(String tasks, String... extra) throws Exception {
    return testbed.play(work, HOST, tasks, extra);
  }

  private String dataContainer() {
    return "- container: {name: " + data + ", image: \"{{base_image}}\", state: created, volumes: [\"/data\"], command: [\"true\"]}";
  }

  /** The volume's files with their contents, as one text. */
  private String contents() {
    return testbed.docker(HOST, "run", "--rm", "--volumes-from", data, "testbed/base:1", "sh", "-c",
        "cd /data && find . -type f | sort | while read f; do echo \"$f: $(cat \"$f\")\"; done");
  }

  @Test
  void aBackupComesBackByteForByteAndARestoreOverwritesNothingByAccident() throws Exception {
    assertEquals(0, play(dataContainer()).exitCode());
    testbed.docker(HOST, "run", "--rm", "--volumes-from", data, "testbed/base:1", "sh", "-c",
        "echo one > /data/a && mkdir -p /data/d/e && echo two > /data/d/e/b && printf 'x\\ny' > '/data/with space'");
    String before = contents();

    Path fetched = work.resolve("fetched");
    Result backup = play("- volume_backup: {container: " + data + ", path: /data, dest: " + backups + ", name: first, fetch: "
        + fetched + "}");
    assertEquals(0, backup.exitCode(), backup.toString());
    String onHost = testbed.exec(HOST, "sha256sum", backups + "/first.tar.gz").split("\\s+")[0];
    assertEquals(onHost, VolumeBackupTask.sha256(fetched.resolve("first.tar.gz")), "the fetched copy is the host's");
    assertTrue(Files.readString(fetched.resolve("first.tar.gz.sha256")).startsWith(onHost));
    assertEquals(0, testbed.status(HOST, "sh", "-c", "cd " + backups + " && sha256sum -c first.tar.gz.sha256"));

    // The volume gone with its container, then a new empty one: the backup brings the same bytes back.
    assertEquals(0, play("- container: {name: " + data + ", state: absent, remove_volumes: true}").exitCode());
    assertEquals(0, play(dataContainer()).exitCode());
    assertEquals("", contents().strip());
    String restoreTask = "- volume_restore: {container: " + data + ", path: /data, src: " + backups + "/first.tar.gz}";
    Result check = play(restoreTask, "--check");
    assertTrue(check.out().contains("would restore " + backups + "/first.tar.gz into " + data + ":/data"), check.out());
    assertEquals("", contents().strip(), "--check restored nothing");
    Result restored = play(restoreTask);
    assertEquals(0, restored.exitCode(), restored.toString());
    assertEquals(before, contents());

    Result again = play(restoreTask);
    assertEquals(2, again.exitCode(), again.toString());
    assertTrue(again.out().contains(data + ":/data holds 3 entries: it is left as it is; force: true replaces them"), again.out());
    testbed.docker(HOST, "run", "--rm", "--volumes-from", data, "testbed/base:1", "sh", "-c", "echo changed > /data/a; touch /data/new");
    Result forced = play("- volume_restore: {container: " + data + ", path: /data, src: " + backups + "/first.tar.gz, force: true}");
    assertEquals(0, forced.exitCode(), forced.toString());
    assertEquals(before, contents(), "force replaces what was there, new files too");

    // A damaged archive, or one that leads out of the volume, restores nothing.
    testbed.exec(HOST, "sh", "-c", "cd " + backups + " && cp first.tar.gz bad.tar.gz && echo 0000 > bad.tar.gz.sha256");
    Result damaged = play("- volume_restore: {container: " + data + ", path: /data, src: " + backups + "/bad.tar.gz, force: true}");
    assertTrue(damaged.out().contains("does not match its SHA-256"), damaged.out());
    Path evil = work.resolve("evil.tar.gz");
    try (OutputStream file = Files.newOutputStream(evil);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(file))) {
      TarArchiveEntry link = new TarArchiveEntry("./etc-link", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("/etc");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
      byte[] body = "pwned".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry climb = new TarArchiveEntry("./../escaped");
      climb.setSize(body.length);
      tar.putArchiveEntry(climb);
      tar.write(body);
      tar.closeArchiveEntry();
    }
    Result refused = play("- volume_restore: {container: " + data + ", path: /data, upload: " + evil + ", force: true}");
    assertEquals(2, refused.exitCode(), refused.toString());
    assertTrue(refused.out().contains("has entries that lead out of the volume"), refused.out());
    assertEquals(before, contents());
  }

  @Test
  void keepPrunesOlderBackupsOfTheSameSource() throws Exception {
    assertEquals(0, play(dataContainer()).exitCode());
    // Names as the default makes them (SOURCE-UTCTIME), three seconds apart.
    for (int second = 1; second <= 3; second++) {
      Result backup = play("- volume_backup: {container: " + data + ", path: /data, dest: " + backups
          + ", name: " + data + "-data-20261202T00000" + second + "Z, keep: 2}");
      assertEquals(0, backup.exitCode(), backup.toString());
    }
    assertEquals(List.of(data + "-data-20261202T000002Z.tar.gz", data + "-data-20261202T000002Z.tar.gz.sha256",
        data + "-data-20261202T000003Z.tar.gz", data + "-data-20261202T000003Z.tar.gz.sha256"),
        testbed.exec(HOST, "ls", backups).lines().toList());
    Result named = play("- volume_backup: {container: " + data + ", path: /data, dest: " + backups + "}");
    assertTrue(Pattern.compile(backups + "/" + data + "-data-\\d{8}T\\d{6}Z\\.tar\\.gz").matcher(named.out()).find(), named.out());
  }
}
