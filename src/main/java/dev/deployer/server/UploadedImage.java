package dev.deployer.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** What a {@code docker save} tar holds, read from its manifest.json without loading it. */
final class UploadedImage {
  private UploadedImage() {}

  static Optional<String> firstTag(Path tar) {
    try {
      Process p = new ProcessBuilder("tar", "-xOf", tar.toString(), "manifest.json").redirectErrorStream(false).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (p.waitFor() != 0) {
        return Optional.empty();
      }
      JsonNode manifest = new ObjectMapper().readTree(out);
      JsonNode tags = manifest.path(0).path("RepoTags");
      return tags.size() > 0 ? Optional.of(tags.get(0).asText()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
