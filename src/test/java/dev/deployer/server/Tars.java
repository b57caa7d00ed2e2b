package dev.deployer.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Tar archives made for tests: packages, image tars, and ones a hostile client would send. */
final class Tars {
  private Tars() {}

  /** One entry: a file with content, or another kind of entry (a link with its target). */
  record Entry(String name, byte type, String content, String linkTo) {
    static Entry file(String name, String content) {
      return new Entry(name, TarArchiveEntry.LF_NORMAL, content, null);
    }

    static Entry symlink(String name, String target) {
      return new Entry(name, TarArchiveEntry.LF_SYMLINK, null, target);
    }
  }

  static byte[] tar(boolean gzip, Entry... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = gzip ? new GzipCompressorOutputStream(bytes) : bytes;
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (Entry e : entries) {
        // Names are kept as given (even absolute ones), as a hostile client would send them.
        TarArchiveEntry entry = new TarArchiveEntry(e.name(), e.type(), true);
        byte[] content = e.content() == null ? new byte[0] : e.content().getBytes(StandardCharsets.UTF_8);
        if (e.linkTo() != null) {
          entry.setLinkName(e.linkTo());
        }
        if (e.type() == TarArchiveEntry.LF_NORMAL) {
          entry.setSize(content.length);
          entry.setMode(e.name().endsWith(".sh") ? 0755 : 0644);
        }
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** An image tar whose manifest.json names these RepoTags (JSON text), with no layers. */
  static byte[] imageNamed(String repoTagsJson) throws IOException {
    return tar(false, Entry.file("manifest.json", "[{\"Config\": \"c.json\", \"RepoTags\": " + repoTagsJson + ", \"Layers\": []}]"));
  }
}
