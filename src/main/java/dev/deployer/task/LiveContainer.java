package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.ContainerSpec;
import dev.deployer.docker.Release;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A service's live container as a deploy reads it: its inspect document, the release it records,
 * whether it runs, and its health ("" without a HEALTHCHECK).
 */
record LiveContainer(Optional<JsonNode> container, Release current, boolean running, String health) {

  static LiveContainer of(Optional<JsonNode> container) {
    JsonNode state = container.map(c -> c.path("State")).orElse(null);
    return new LiveContainer(container, container.map(Release::current).orElse(null),
        state != null && state.path("Running").asBoolean(),
        state == null ? "" : state.path("Health").path("Status").asText(""));
  }

  /** Runs, and Docker has nothing against it: healthy, or no HEALTHCHECK to say otherwise. */
  boolean healthy() {
    return running && (health.isEmpty() || health.equals("healthy"));
  }

  /** Runs, and Docker has not decided yet. */
  boolean starting() {
    return running && health.equals("starting");
  }

  /** It runs this image ID with this configuration (healthy or not). */
  boolean runs(String imageId, ContainerSpec spec) {
    return current != null && running && current.imageId().equals(imageId) && current.config().hash().equals(spec.hash());
  }

  /** Its release and the releases before it, newest first. */
  List<Release> releases() {
    List<Release> releases = new ArrayList<>();
    if (current != null) {
      releases.add(current);
      releases.addAll(container.map(Release::history).orElse(List.of()));
    }
    return releases;
  }
}
