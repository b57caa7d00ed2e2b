package dev.deployer.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageFactsTest {
  @Test
  void readsWhatDockerImageInspectSaysAndShowsItAsDockerImagesWould() {
    ImageFacts facts = ImageFacts.of(Docker.parse("""
        {"Id": "sha256:3f2a9c1b7d4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcd", "Size": 5242880,
         "Created": "2026-12-03T01:02:03.123456789Z",
         "Config": {"Labels": {"deployer.build-hash": "abc", "maintainer": "base image"}}}"""));
    assertEquals("image 3f2a9c1b7d4e, 5.2 MB, created 2026-12-03T01:02:03Z", facts.describe());
    assertEquals(Map.of("deployer.build-hash", "abc", "maintainer", "base image"), facts.labels());
  }

  @Test
  void sizesUseDecimalUnits() {
    assertEquals("999 B", ImageFacts.size(999));
    assertEquals("1.5 kB", ImageFacts.size(1500));
    assertEquals("123 MB", ImageFacts.size(123_400_000));
  }

  @Test
  void anImageWithoutLabelsHasNone() {
    assertEquals(Map.of(), ImageFacts.of(Docker.parse("{\"Id\": \"sha256:ab\", \"Size\": 1, \"Config\": {\"Labels\": null}}")).labels());
  }
}
