package dev.deployer.docker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a service's container is made from, apart from the image. It is recorded in the
 * container's labels as JSON, so a rollback can recreate a previous version exactly: same ports,
 * env, volumes, network, command and labels.
 *
 * <p>The {@code @JsonInclude} annotations say how Jackson's record binding wrote that JSON; {@link
 * #toJson()} writes it by hand now, and ContainerSpecTest holds the two to the same bytes.
 *
 * @param command null for the image's own command; otherwise the arguments after the image
 * @param proxy how the host's proxy routes to it, or null when it is not behind the proxy (left out
 *     of the JSON then, so the hash of every configuration made before proxies existed stays)
 * @param volumesFrom containers whose volumes it mounts (the data containers of a unit)
 * @param networkAliases its other names on {@code network}
 * @param extraHosts "name:address" lines for its /etc/hosts
 * @param createOptions further {@code docker create} flags, read from a container deployer did not
 *     make (entrypoint, user, working dir, healthcheck, resources) so its recreation keeps them
 */
public record ContainerSpec(
    String name,
    List<String> ports,
    Map<String, String> env,
    String envFile,
    List<String> volumes,
    String network,
    List<String> command,
    String restartPolicy,
    Map<String, String> labels,
    int stopTimeout,
    @JsonInclude(JsonInclude.Include.NON_NULL) ProxySettings proxy,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> volumesFrom,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> networkAliases,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> extraHosts,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> createOptions) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ContainerSpec {
    ports = List.copyOf(ports);
    env = java.util.Collections.unmodifiableMap(new TreeMap<>(env));
    volumes = List.copyOf(volumes);
    command = command == null ? null : List.copyOf(command);
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    volumesFrom = volumesFrom == null ? List.of() : List.copyOf(volumesFrom);
    networkAliases = networkAliases == null ? List.of() : List.copyOf(networkAliases);
    extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
    createOptions = createOptions == null ? List.of() : List.copyOf(createOptions);
  }

  /** A container of a unit or of the container task: no flags beyond the declared ones. */
  public ContainerSpec(String name, List<String> ports, Map<String, String> env, String envFile, List<String> volumes,
      String network, List<String> command, String restartPolicy, Map<String, String> labels, int stopTimeout,
      ProxySettings proxy, List<String> volumesFrom, List<String> networkAliases, List<String> extraHosts) {
    this(name, ports, env, envFile, volumes, network, command, restartPolicy, labels, stopTimeout, proxy, volumesFrom,
        networkAliases, extraHosts, List.of());
  }

  /** The same container on another network, routed as {@code proxy} says (a proxied swap's new container). */
  public ContainerSpec onNetwork(String otherNetwork, ProxySettings routing) {
    return new ContainerSpec(name, ports, env, envFile, volumes, otherNetwork, command, restartPolicy, labels, stopTimeout,
        routing, volumesFrom, networkAliases, extraHosts, createOptions);
  }

  /** A service's container: no volumes from others, no aliases, no extra hosts. */
  public ContainerSpec(String name, List<String> ports, Map<String, String> env, String envFile, List<String> volumes,
      String network, List<String> command, String restartPolicy, Map<String, String> labels, int stopTimeout,
      ProxySettings proxy) {
    this(name, ports, env, envFile, volumes, network, command, restartPolicy, labels, stopTimeout, proxy,
        List.of(), List.of(), List.of());
  }

  /** A service that is not behind the proxy. */
  public ContainerSpec(String name, List<String> ports, Map<String, String> env, String envFile, List<String> volumes,
      String network, List<String> command, String restartPolicy, Map<String, String> labels, int stopTimeout) {
    this(name, ports, env, envFile, volumes, network, command, restartPolicy, labels, stopTimeout, null);
  }

  /**
   * The JSON recorded in the container's labels, field for field what Jackson's record binding
   * wrote before (the config hash of every deployed container depends on it). Written by hand:
   * binding a record by reflection costs a cold CLI run about 150 ms, on every idempotent run.
   */
  public JsonNode toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("name", name);
    strings(node, "ports", ports);
    map(node, "env", env);
    node.put("envFile", envFile);
    strings(node, "volumes", volumes);
    node.put("network", network);
    if (command == null) {
      node.putNull("command");
    } else {
      strings(node, "command", command);
    }
    node.put("restartPolicy", restartPolicy);
    map(node, "labels", labels);
    node.put("stopTimeout", stopTimeout);
    if (proxy != null) {
      ObjectNode routing = node.putObject("proxy");
      routing.put("port", proxy.port());
      routing.put("appPort", proxy.appPort());
      routing.put("host", proxy.host());
      routing.put("healthPath", proxy.healthPath());
      routing.put("drainSeconds", proxy.drainSeconds());
      routing.put("tls", proxy.tls());
      routing.put("email", proxy.email());
    }
    optional(node, "volumesFrom", volumesFrom);
    optional(node, "networkAliases", networkAliases);
    optional(node, "extraHosts", extraHosts);
    optional(node, "createOptions", createOptions);
    return node;
  }

  private static void strings(ObjectNode node, String field, List<String> values) {
    values.forEach(node.putArray(field)::add);
  }

  /** Left out when empty, as every configuration recorded before these fields existed had them. */
  private static void optional(ObjectNode node, String field, List<String> values) {
    if (!values.isEmpty()) {
      strings(node, field, values);
    }
  }

  private static void map(ObjectNode node, String field, Map<String, String> values) {
    ObjectNode object = node.putObject(field);
    values.forEach(object::put);
  }

  /** Reads what {@link #toJson()} wrote, or an older deployer's JSON (fields added since are absent). */
  public static ContainerSpec fromJson(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new DockerException("the recorded container configuration cannot be read: it is not a JSON object");
    }
    JsonNode proxy = node.path("proxy");
    return new ContainerSpec(text(node, "name"), strings(node, "ports"), map(node, "env"), text(node, "envFile"),
        strings(node, "volumes"), text(node, "network"), node.path("command").isArray() ? strings(node, "command") : null,
        text(node, "restartPolicy"), map(node, "labels"), node.path("stopTimeout").asInt(),
        proxy.isObject() ? new ProxySettings(proxy.path("port").asInt(), proxy.path("appPort").asInt(), text(proxy, "host"),
            text(proxy, "healthPath"), proxy.path("drainSeconds").asInt(), text(proxy, "tls"), text(proxy, "email")) : null,
        strings(node, "volumesFrom"), strings(node, "networkAliases"), strings(node, "extraHosts"),
        strings(node, "createOptions"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static List<String> strings(JsonNode node, String field) {
    List<String> values = new java.util.ArrayList<>();
    node.path(field).forEach(value -> values.add(value.asText()));
    return values;
  }

  private static Map<String, String> map(JsonNode node, String field) {
    Map<String, String> values = new LinkedHashMap<>();
    node.path(field).fields().forEachRemaining(entry -> values.put(entry.getKey(), entry.getValue().asText()));
    return values;
  }

  /** A hash of the configuration; equal hashes mean the same container (given the same image). */
  public String hash() {
    try {
      byte[] canonical = JSON.writeValueAsBytes(toJson());
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical)).substring(0, 16);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The fields that differ from another spec, as name to (before, after). Env values are never
   * shown, only which keys changed: they often hold secrets.
   */
  public Map<String, Object[]> differences(ContainerSpec before) {
    Map<String, Object[]> diff = new LinkedHashMap<>();
    ObjectNode mine = (ObjectNode) toJson();
    ObjectNode theirs = before == null ? JSON.createObjectNode() : (ObjectNode) before.toJson();
    mine.fieldNames().forEachRemaining(field -> {
      if (field.equals("env")) {
        return;
      }
      JsonNode a = theirs.get(field);
      JsonNode b = mine.get(field);
      if (a == null || !a.equals(b)) {
        diff.put(field, new Object[] {a == null ? "absent" : text(a), text(b)});
      }
    });
    Map<String, String> oldEnv = before == null ? Map.of() : before.env();
    java.util.Set<String> keys = new java.util.TreeSet<>(env.keySet());
    keys.addAll(oldEnv.keySet());
    for (String key : keys) {
      String a = oldEnv.get(key);
      String b = env.get(key);
      if (a == null) {
        diff.put("env." + key, new Object[] {"absent", "(set)"});
      } else if (b == null) {
        diff.put("env." + key, new Object[] {"(set)", "absent"});
      } else if (!a.equals(b)) {
        diff.put("env." + key, new Object[] {"(value)", "(new value)"});
      }
    }
    return diff;
  }

  private static String text(JsonNode node) {
    return node.isTextual() ? node.asText() : node.toString();
  }
}
