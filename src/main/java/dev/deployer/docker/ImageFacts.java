package dev.deployer.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An image as {@code docker image inspect} describes it, as far as a build report shows it (the
 * deploy CLI seed's "metadata" of a build).
 *
 * @param created when Docker says the image was made, as it writes it (RFC 3339)
 */
public record ImageFacts(String id, long sizeBytes, String created, Map<String, String> labels) {
  public ImageFacts {
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  static ImageFacts of(JsonNode inspected) {
    Map<String, String> labels = new TreeMap<>();
    inspected.path("Config").path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return new ImageFacts(inspected.path("Id").asText(), inspected.path("Size").asLong(),
        inspected.path("Created").asText(), labels);
  }

  /** "image 3f2a9c1b7d4e, 5.2 MB, created 2026-12-03T01:02:03Z", as a report line reads. */
  public String describe() {
    String shortId = id.startsWith("sha256:") ? id.substring(7) : id;
    String created = this.created.replaceFirst("\\.\\d+Z$", "Z");
    return "image " + shortId.substring(0, Math.min(12, shortId.length())) + ", " + size(sizeBytes) + ", created " + created;
  }

  /** A size as docker images shows one: decimal units. */
  static String size(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  }
}
