package dev.deployer.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** What a {@code docker save} tar (or tar.gz) names, read from its manifest.json without loading it. */
final class UploadedImage {
  private static final int MAX_MANIFEST = 1024 * 1024;

  private UploadedImage() {}

  /** The image the tar's first manifest entry names, checked as any outside name is. */
  static IncomingImage of(Path tar) throws Refusal {
    JsonNode manifest;
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(tar));
        TarArchiveInputStream entries = new TarArchiveInputStream(gzipped(raw) ? new GzipCompressorInputStream(raw) : raw)) {
      manifest = null;
      for (TarArchiveEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
        if (entry.getName().equals("manifest.json") || entry.getName().equals("./manifest.json")) {
          if (entry.getSize() > MAX_MANIFEST) {
            throw new Refusal(400, "the image's manifest.json is larger than " + MAX_MANIFEST + " bytes");
          }
          manifest = new ObjectMapper().readTree(entries.readNBytes(MAX_MANIFEST));
          break;
        }
      }
    } catch (IOException e) {
      throw new Refusal(400, "the image is not a docker save tar: " + e.getMessage());
    }
    if (manifest == null) {
      throw new Refusal(400, "the image is not a docker save tar: it has no manifest.json");
    }
    JsonNode tags = manifest.path(0).path("RepoTags");
    if (!tags.isArray() || tags.isEmpty()) {
      throw new Refusal(400, "the image's manifest.json has no RepoTags list; tag the image before docker save");
    }
    if (!tags.get(0).isTextual()) {
      throw new Refusal(400, "the image's manifest.json RepoTags holds " + tags.get(0).getNodeType().name().toLowerCase()
          + " values, not names");
    }
    return IncomingImage.parse(tags.get(0).asText());
  }

  private static boolean gzipped(InputStream in) throws IOException {
    in.mark(2);
    int first = in.read();
    int second = in.read();
    in.reset();
    return first == 0x1f && second == 0x8b;
  }
}
