package dev.deployer.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Swarm service as a playbook asks for it, and the {@code docker service create} and {@code
 * update} arguments that make a service so. The spec as asked is kept on the service in a label,
 * so the next run compares like with like (Swarm rewrites images with their digest and networks
 * with their IDs) and {@code --check} can say what would change.
 *
 * @param ports "published:target", published through Swarm's routing mesh
 * @param health docker's --health-* settings by name (cmd, interval, timeout, retries, start_period)
 * @param update docker's --update-* settings by name (parallelism, delay, order, failure_action, monitor)
 * @param proxy the edge proxy its requests come through instead of Swarm's routing mesh, or null
 */
public record SwarmSpec(String image, int replicas, List<String> ports, Map<String, String> env, List<String> networks,
    Map<String, String> health, Map<String, String> update, Proxy proxy) {
  public static final String LABEL = "deployer.swarm-spec";
  /** The overlay network proxied services and their edge proxies share. */
  public static final String EDGE_NETWORK = "deployer-swarm";

  /**
   * An edge proxy in front of the service: Caddy on every node, taking requests on {@code port}
   * and passing them to a running task's {@code appPort}.
   *
   * @param image the proxy's image
   */
  public record Proxy(int port, int appPort, String image) {
    /** As a report shows it: ":8090 -> 8080 (caddy:2.8.4)". */
    @Override
    public String toString() {
      return ":" + port + " -> " + appPort + " (" + image + ")";
    }
  }
  private static final ObjectMapper JSON = new ObjectMapper();

  public SwarmSpec {
    ports = List.copyOf(ports);
    env = java.util.Collections.unmodifiableMap(new TreeMap<>(env));
    networks = List.copyOf(networks);
    health = java.util.Collections.unmodifiableMap(new TreeMap<>(health));
    update = java.util.Collections.unmodifiableMap(new TreeMap<>(update));
  }

  public String json() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The spec a service's label records, or null for a service deployer did not make. */
  public static SwarmSpec fromLabel(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      return JSON.readValue(json, SwarmSpec.class);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  public List<String> createArgs(String name) {
    List<String> args = new ArrayList<>(List.of("service", "create", "--name", name,
        "--replicas", String.valueOf(replicas), "--label", LABEL + "=" + json()));
    ports.forEach(port -> args.addAll(List.of("--publish", publish(port))));
    env.forEach((key, value) -> args.addAll(List.of("--env", key + "=" + value)));
    networks.forEach(network -> args.addAll(List.of("--network", network)));
    if (proxy != null) {
      // Found by name (every task's address) rather than through a virtual IP, so the proxy picks
      // and retries tasks itself: a task that is gone costs a retry, not a failed request.
      args.addAll(List.of("--endpoint-mode", "dnsrr", "--network", EDGE_NETWORK));
    }
    args.addAll(settings());
    args.add(image);
    return args;
  }

  /** From {@code before} (the recorded spec) to this one, touching only what changed. */
  public List<String> updateArgs(String name, SwarmSpec before) {
    List<String> args = new ArrayList<>(List.of("service", "update", "--image", image,
        "--replicas", String.valueOf(replicas), "--label-add", LABEL + "=" + json()));
    if (before != null) {
      before.env.keySet().stream().filter(key -> !env.containsKey(key)).forEach(key -> args.addAll(List.of("--env-rm", key)));
      before.ports.stream().filter(port -> !ports.contains(port))
          .forEach(port -> args.addAll(List.of("--publish-rm", port.substring(port.indexOf(':') + 1))));
      before.networks.stream().filter(n -> !networks.contains(n)).forEach(n -> args.addAll(List.of("--network-rm", n)));
    }
    env.forEach((key, value) -> args.addAll(List.of("--env-add", key + "=" + value)));
    ports.stream().filter(port -> before == null || !before.ports.contains(port))
        .forEach(port -> args.addAll(List.of("--publish-add", publish(port))));
    networks.stream().filter(n -> before == null || !before.networks.contains(n))
        .forEach(n -> args.addAll(List.of("--network-add", n)));
    boolean proxiedBefore = before != null && before.proxy != null;
    if (proxy != null && !proxiedBefore) {
      args.addAll(List.of("--endpoint-mode", "dnsrr", "--network-add", EDGE_NETWORK));
    } else if (proxy == null && proxiedBefore) {
      args.addAll(List.of("--endpoint-mode", "vip", "--network-rm", EDGE_NETWORK));
    }
    args.addAll(settings());
    args.add(name);
    return args;
  }

  /** What differs from {@code before}, field by field, as a report shows it. */
  public Map<String, String[]> diff(SwarmSpec before) {
    Map<String, String[]> changes = new LinkedHashMap<>();
    compare(changes, "image", before.image, image);
    compare(changes, "replicas", before.replicas, replicas);
    compare(changes, "ports", before.ports, ports);
    compare(changes, "env", before.env.keySet(), env.keySet());
    if (!before.env.equals(env) && before.env.keySet().equals(env.keySet())) {
      changes.put("env", new String[] {"(values)", "(changed values)"});
    }
    compare(changes, "networks", before.networks, networks);
    compare(changes, "health", before.health, health);
    compare(changes, "update", before.update, update);
    compare(changes, "proxy", before.proxy == null ? "none" : before.proxy.toString(), proxy == null ? "none" : proxy.toString());
    return changes;
  }

  private static void compare(Map<String, String[]> changes, String field, Object before, Object after) {
    if (!before.equals(after)) {
      changes.put(field, new String[] {String.valueOf(before), String.valueOf(after)});
    }
  }

  /** The health and update settings; a rollback goes the way an update does. */
  private List<String> settings() {
    List<String> args = new ArrayList<>();
    health.forEach((key, value) -> args.addAll(List.of("--health-" + key.replace('_', '-'), value)));
    update.forEach((key, value) -> {
      args.addAll(List.of("--update-" + key.replace('_', '-'), value));
      if (!key.equals("failure_action")) {
        args.addAll(List.of("--rollback-" + key.replace('_', '-'), value));
      }
    });
    return args;
  }

  private static String publish(String port) {
    String[] parts = port.split(":");
    return "published=" + parts[0] + ",target=" + parts[1];
  }
}
