package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sync_dir against a real host: what lands there, and what it reports. */
class SyncDirIT {
  @TempDir Path work;
  private final Testbed testbed = new Testbed();
  private final String dest = "/srv/it" + UUID.randomUUID().toString().substring(0, 8);

  private Result sync(String extraArgs) throws IOException {
    Path book = work.resolve("sync.yml");
    Files.writeString(book, """
        - hosts: h2
          tasks:
            - sync_dir: {src: site, dest: "%s", delete: true, exclude: ["*.tmp", ".git"] %s}
        """.formatted(dest, extraArgs));
    return Testbed.deployer("play", book.toString(), "-i", testbed.inventory().toString());
  }

  private Path file(String name, String content) throws IOException {
    Path file = work.resolve("site").resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  @Test
  void copiesNestedFilesKeepsModesSkipsExcludesAndDeletesWhatIsGone() throws IOException {
    file("index.html", "hello\n");
    file("a/b/deep.txt", "deep\n");
    file("gone/old.txt", "old\n");
    file("scratch.tmp", "never copied\n");
    file(".git/HEAD", "ref: main\n");
    Path script = file("bin/run.sh", "#!/bin/sh\necho run\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

    Result first = sync("");
    assertEquals(0, first.exitCode(), first.toString());
    assertTrue(first.out().contains("changed: [h2] 4 added, 0 changed, 0 removed"), first.out());
    assertEquals("deep\n", testbed.exec("h2", "cat", dest + "/a/b/deep.txt"));
    assertEquals("run\n", testbed.exec("h2", dest + "/bin/run.sh"));
    assertNotEquals(0, testbed.status("h2", "test", "-e", dest + "/scratch.tmp"));
    assertNotEquals(0, testbed.status("h2", "test", "-e", dest + "/.git"));
    // Only h2 was named: the other hosts have their own /srv and did not get the files.
    assertNotEquals(0, testbed.status("h1", "test", "-e", dest));

    // Same content, newer timestamps: nothing to copy.
    file("index.html", "hello\n");
    Result same = sync("");
    assertTrue(same.out().contains("ok: [h2] 4 files in sync"), same.out());

    file("index.html", "hello again\n");
    Files.delete(work.resolve("site/gone/old.txt"));
    Files.delete(work.resolve("site/gone"));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
    Result changed = sync("");
    assertTrue(changed.out().contains("changed: [h2] 0 added, 2 changed, 1 removed"), changed.out());
    assertEquals("hello again\n", testbed.exec("h2", "cat", dest + "/index.html"));
    assertNotEquals(0, testbed.status("h2", "test", "-e", dest + "/gone"));
    assertNotEquals(0, testbed.status("h2", "test", "-x", dest + "/bin/run.sh"));
  }

  @Test
  void anyNameCopiesAndResyncsToNothing() throws IOException {
    for (String name : new String[] {"back\\slash.txt", "star*q?.txt", "new\nline.txt", "sp ace [1].txt", "-dash.txt"}) {
      file(name, "content of " + name);
    }
    Result first = sync("");
    assertEquals(0, first.exitCode(), first.toString());
    assertTrue(first.out().contains("changed: [h2] 5 added, 0 changed, 0 removed"), first.out());
    assertEquals("content of star*q?.txt", testbed.exec("h2", "cat", dest + "/star*q?.txt"));
    assertEquals("content of new\nline.txt", testbed.exec("h2", "cat", dest + "/new\nline.txt"));
    assertEquals("content of back\\slash.txt", testbed.exec("h2", "cat", dest + "/back\\slash.txt"));
    Result again = sync("");
    assertTrue(again.out().contains("ok: [h2] 5 files in sync"), again.out());
  }

  @Test
  void sizeAndTimeDecideAsRsyncDoesAndChecksumLooksAtContent() throws IOException {
    Path page = file("page.html", "aaaa\n");
    file("caf\u00e9/\u00fcber.txt", "non-ASCII names\n");
    Files.setLastModifiedTime(page, java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
    Result first = sync("");
    assertEquals(0, first.exitCode(), first.toString());
    assertEquals("1700000000\n", testbed.exec("h2", "stat", "-c", "%Y", dest + "/page.html"), "the copy keeps its time");
    assertEquals("non-ASCII names\n", testbed.exec("h2", "cat", dest + "/caf\u00e9/\u00fcber.txt"));

    // Touched, same content: only its time is set, and the next run has nothing to do.
    Files.setLastModifiedTime(page, java.nio.file.attribute.FileTime.fromMillis(1_700_000_100_000L));
    Result touched = sync("");
    assertTrue(touched.out().contains("ok: [h2] 2 files in sync (1 with another time and the same content: time set)"),
        touched.out());
    assertEquals("1700000100\n", testbed.exec("h2", "stat", "-c", "%Y", dest + "/page.html"));
    Result profiled = Testbed.deployer("play", work.resolve("sync.yml").toString(), "-i", testbed.inventory().toString(),
        "--profile");
    assertTrue(profiled.out().contains("ok: [h2] 2 files in sync\n"), profiled.out());
    // --profile: where the time went, the one listing command on the host.
    assertTrue(profiled.out().matches("(?s).*PROFILE: \\d+ ms in all.*\n  h2: connect \\d+ ms\n    sync_dir +\\d+ ms: on the host"
        + " \\d+ ms \\(1 command\\), here \\d+ ms\n.*"), profiled.out());

    // Same size, same time, other content: rsync's quick check misses it, and so does sync_dir; checksum does not.
    Files.writeString(page, "bbbb\n");
    Files.setLastModifiedTime(page, java.nio.file.attribute.FileTime.fromMillis(1_700_000_100_000L));
    assertTrue(sync("").out().contains("ok: [h2] 2 files in sync"));
    Result checked = sync(", checksum: true");
    assertTrue(checked.out().contains("changed: [h2] 0 added, 1 changed, 0 removed"), checked.out());
    assertEquals("bbbb\n", testbed.exec("h2", "cat", dest + "/page.html"));
  }

  @Test
  void linksInsideStayLinksAndALinkOutIsRefused() throws IOException {
    file("target.txt", "target\n");
    file("sub/inner.txt", "inner\n");
    Files.createSymbolicLink(work.resolve("site/link.txt"), Path.of("target.txt"));
    Files.createSymbolicLink(work.resolve("site/subdir"), Path.of("sub"));
    Result first = sync("");
    assertEquals(0, first.exitCode(), first.toString());
    assertEquals("target.txt\n", testbed.exec("h2", "readlink", dest + "/link.txt"));
    assertEquals("sub\n", testbed.exec("h2", "readlink", dest + "/subdir"));
    assertEquals("inner\n", testbed.exec("h2", "cat", dest + "/subdir/inner.txt"));
    Result again = sync("");
    assertTrue(again.out().contains("ok: [h2]"), again.out());

    Files.createSymbolicLink(work.resolve("site/passwd"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(work.resolve("site/up"), Path.of("../.."));
    Result out = sync("");
    assertEquals(2, out.exitCode(), out.toString());
    assertTrue(out.out().contains("passwd -> /etc/passwd"), out.out());
    assertTrue(out.out().contains("up -> ../.."), out.out());
    assertNotEquals(0, testbed.status("h2", "test", "-e", dest + "/passwd"));
  }

  @Test
  void refusesASourceWithoutTheRequiredFile() throws IOException {
    file("index.html", "no dockerfile here\n");
    Result run = sync(", require: Dockerfile");
    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(run.out().contains("has no Dockerfile; refusing to sync it"), run.out());
    assertNotEquals(0, testbed.status("h2", "test", "-e", dest));
  }
}
