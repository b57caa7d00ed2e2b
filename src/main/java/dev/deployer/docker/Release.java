package dev.deployer.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One deployed version of a service: image, when, by whom, and its whole container
 * configuration. The live container carries its own release and the previous ones in its
 * labels, so the host's Docker is the only record of what was deployed.
 *
 * @param health the health settings (timeout, http probes) as the playbook gave them
 */
public record Release(
    String image, String imageId, String deployedAt, String deployedBy, String runId, ContainerSpec config,
    JsonNode health) {

  public static final String SERVICE = "deployer.service";
  public static final String IMAGE = "deployer.image";
  public static final String IMAGE_ID = "deployer.image-id";
  public static final String CONFIG_HASH = "deployer.config-hash";
  public static final String DEPLOYED_AT = "deployer.deployed-at";
  public static final String DEPLOYED_BY = "deployer.deployed-by";
  public static final String RUN_ID = "deployer.run-id";
  public static final String CONFIG = "deployer.config";
  public static final String HEALTH = "deployer.health";
  public static final String HISTORY = "deployer.history";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The labels that record this release, with the releases before it (newest first). */
  public Map<String, String> labels(List<Release> previous) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(SERVICE, config.name());
    labels.put(IMAGE, image);
    labels.put(IMAGE_ID, imageId);
    labels.put(CONFIG_HASH, config.hash());
    labels.put(DEPLOYED_AT, deployedAt);
    labels.put(DEPLOYED_BY, deployedBy);
    labels.put(RUN_ID, runId);
    labels.put(CONFIG, config.toJson().toString());
    labels.put(HEALTH, health == null ? "{}" : health.toString());
    ArrayNode history = JSON.createArrayNode();
    previous.forEach(release -> history.add(release.toJson()));
    labels.put(HISTORY, history.toString());
    return labels;
  }

  ObjectNode toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("image", image);
    node.put("image_id", imageId);
    node.put("deployed_at", deployedAt);
    node.put("deployed_by", deployedBy);
    node.put("run_id", runId);
    node.set("config", config.toJson());
    node.set("health", health == null ? JSON.createObjectNode() : health);
    return node;
  }

  private static Release fromJson(JsonNode node) {
    return new Release(
        node.path("image").asText(), node.path("image_id").asText(), node.path("deployed_at").asText(),
        node.path("deployed_by").asText(), node.path("run_id").asText(),
        ContainerSpec.fromJson(node.get("config")), node.get("health"));
  }

  /** The release a live container records, or null when deployer did not make it. */
  public static Release current(JsonNode container) {
    JsonNode labels = container.path("Config").path("Labels");
    if (!labels.has(SERVICE) || !labels.has(CONFIG)) {
      return null;
    }
    return new Release(
        labels.path(IMAGE).asText(), labels.path(IMAGE_ID).asText(), labels.path(DEPLOYED_AT).asText(),
        labels.path(DEPLOYED_BY).asText(), labels.path(RUN_ID).asText(),
        ContainerSpec.fromJson(Docker.parse(labels.path(CONFIG).asText())),
        Docker.parse(labels.path(HEALTH).asText("{}")));
  }

  /** The releases before the live one, newest first. */
  public static List<Release> history(JsonNode container) {
    List<Release> releases = new ArrayList<>();
    String text = container.path("Config").path("Labels").path(HISTORY).asText("");
    if (!text.isEmpty()) {
      Docker.parse(text).forEach(node -> releases.add(fromJson(node)));
    }
    return releases;
  }
}
