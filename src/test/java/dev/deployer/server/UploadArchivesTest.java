package dev.deployer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packages and image tars from uploads: what they may hold, and what they name. */
class UploadArchivesTest {
  @TempDir Path dir;

  private Path tar(String fileName, boolean gzip, Tars.Entry... entries) throws IOException {
    return Files.write(dir.resolve(fileName), Tars.tar(gzip, entries));
  }

  @Test
  void aPackageOfFilesAndDirectoriesUnpacksWithItsExecutableBits() throws Exception {
    Path archive = tar("site.tar.gz", true, Tars.Entry.file("index.html", "<h1>hi</h1>"),
        new Tars.Entry("bin/", TarArchiveEntry.LF_DIR, null, null), Tars.Entry.file("bin/run.sh", "echo run"),
        Tars.Entry.file("./css/site.css", "body{}"));
    Path out = dir.resolve("out");
    PackageArchive.unpack(archive, out, 1 << 20);
    assertEquals("<h1>hi</h1>", Files.readString(out.resolve("index.html")));
    assertEquals("body{}", Files.readString(out.resolve("css/site.css")));
    assertTrue(Files.isExecutable(out.resolve("bin/run.sh")));
    assertFalse(Files.isExecutable(out.resolve("index.html")));
  }

  @Test
  void linksDevicesAbsolutePathsAndDotDotAreRefused() throws Exception {
    List<Tars.Entry> bad = List.of(
        new Tars.Entry("users", TarArchiveEntry.LF_SYMLINK, null, "/etc/passwd"),
        new Tars.Entry("key", TarArchiveEntry.LF_LINK, null, "/root/.ssh/id_ed25519"),
        new Tars.Entry("null", TarArchiveEntry.LF_CHR, null, null),
        new Tars.Entry("pipe", TarArchiveEntry.LF_FIFO, null, null),
        Tars.Entry.file("/etc/cron.d/x", "* * * * * root sh"),
        Tars.Entry.file("../outside.txt", "x"),
        Tars.Entry.file("a/../../outside.txt", "x"));
    for (Tars.Entry entry : bad) {
      Path archive = tar("bad.tar.gz", true, Tars.Entry.file("ok.txt", "fine"), entry);
      Path out = dir.resolve("out-" + Math.abs(entry.name().hashCode()) + entry.type());
      Refusal refusal = assertThrows(Refusal.class, () -> PackageArchive.unpack(archive, out, 1 << 20), entry.name());
      assertEquals(400, refusal.status(), refusal.getMessage());
    }
    assertFalse(Files.exists(dir.resolve("outside.txt")));
  }

  @Test
  void aPackageThatUnpacksPastTheLimitIsRefused() throws Exception {
    Path archive = tar("big.tar.gz", true, Tars.Entry.file("zeros", "0".repeat(10_000)));
    Refusal refusal = assertThrows(Refusal.class, () -> PackageArchive.unpack(archive, dir.resolve("out"), 1000));
    assertTrue(refusal.getMessage().contains("more than 1000 bytes"), refusal.getMessage());
    Path notGzip = tar("plain.tar", false, Tars.Entry.file("a", "b"));
    assertEquals(400, assertThrows(Refusal.class, () -> PackageArchive.unpack(notGzip, dir.resolve("out2"), 1000)).status());
  }

  @Test
  void anImageTarNamesItsImageFromRepoTagsCheckedAsAnyOutsideName() throws Exception {
    Path good = tar("good.tar", false, Tars.Entry.file("manifest.json", "[{\"RepoTags\": [\"example/app:v1.2\"], \"Layers\": []}]"));
    assertEquals(new IncomingImage("example/app", "v1.2"), UploadedImage.of(good));
    Path gz = tar("good.tar.gz", true, Tars.Entry.file("manifest.json", "[{\"RepoTags\": [\"registry.local:5000/app:u1\"]}]"));
    assertEquals(new IncomingImage("registry.local:5000/app", "u1"), UploadedImage.of(gz));

    Path template = tar("t.tar", false, Tars.Entry.file("manifest.json", "[{\"RepoTags\": [\"example/app:v{{ansible_user}}\"]}]"));
    assertEquals(422, assertThrows(Refusal.class, () -> UploadedImage.of(template)).status());
    Path shell = tar("s.tar", false, Tars.Entry.file("manifest.json", "[{\"RepoTags\": [\"example/app;rm -rf /:v1\"]}]"));
    assertEquals(422, assertThrows(Refusal.class, () -> UploadedImage.of(shell)).status());
    Path object = tar("o.tar", false, Tars.Entry.file("manifest.json", "[{\"RepoTags\": {\"a\": \"b\"}}]"));
    Refusal notList = assertThrows(Refusal.class, () -> UploadedImage.of(object));
    assertEquals(400, notList.status());
    assertEquals("the image's manifest.json has no RepoTags list; tag the image before docker save", notList.getMessage());
    Path none = tar("n.tar", false, Tars.Entry.file("other.json", "{}"));
    assertEquals(400, assertThrows(Refusal.class, () -> UploadedImage.of(none)).status());
  }

  @Test
  void outsideNamesFollowDockersGrammar() throws Refusal {
    assertEquals("example/app:v1", IncomingImage.of("example/app", "v1").reference());
    for (String tag : List.of("v{{x}}", "$(id)", "a b", "-x", ".x", "x".repeat(129), "")) {
      assertEquals(422, assertThrows(Refusal.class, () -> IncomingImage.of("example/app", tag)).status(), tag);
    }
    for (String repo : List.of("Example/App", "a/{{b}}", "a;b", "", "a//b")) {
      assertEquals(422, assertThrows(Refusal.class, () -> IncomingImage.of(repo, "v1")).status(), repo);
    }
    assertEquals(422, assertThrows(Refusal.class, () -> IncomingImage.parse("no-tag")).status());
  }
}
