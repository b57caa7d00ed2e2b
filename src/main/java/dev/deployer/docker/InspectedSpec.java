package dev.deployer.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configuration of a container deployer did not make, read back from {@code docker inspect}
 * (gopdater's way): ports, env, volumes and mounts, network and aliases, labels, restart policy,
 * command, entrypoint, user, working dir, healthcheck and resources. What the container only has
 * from its image (env, labels, command, entrypoint, user, working dir, healthcheck) is left out,
 * so the new image's own values apply to the recreated container, as they would to a fresh run.
 */
public final class InspectedSpec {
  /** Labels Docker and deployer write themselves: never carried over by hand. */
  private static final Set<String> OWN_LABEL_PREFIXES = Set.of("deployer.", "com.docker.compose.");

  private InspectedSpec() {}

  /**
   * @param container {@code docker inspect} of the container
   * @param image {@code docker image inspect} of the image it runs
   */
  public static ContainerSpec of(JsonNode container, JsonNode image) {
    JsonNode config = container.path("Config");
    JsonNode host = container.path("HostConfig");
    JsonNode imageConfig = image.path("Config");
    String name = container.path("Name").asText().replaceFirst("^/", "");

    Map<String, String> env = new LinkedHashMap<>();
    Set<String> imageEnv = new java.util.HashSet<>(texts(imageConfig.path("Env")));
    for (String entry : texts(config.path("Env"))) {
      if (!imageEnv.contains(entry) && entry.contains("=")) {
        env.put(entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
      }
    }
    Map<String, String> labels = new LinkedHashMap<>();
    config.path("Labels").fields().forEachRemaining(label -> {
      boolean fromImage = imageConfig.path("Labels").path(label.getKey()).asText(null) != null
          && imageConfig.path("Labels").path(label.getKey()).asText().equals(label.getValue().asText());
      if (!fromImage && OWN_LABEL_PREFIXES.stream().noneMatch(label.getKey()::startsWith)) {
        labels.put(label.getKey(), label.getValue().asText());
      }
    });

    List<String> options = new ArrayList<>();
    List<String> entrypoint = texts(config.path("Entrypoint"));
    List<String> command = texts(config.path("Cmd"));
    boolean ownEntrypoint = !entrypoint.equals(texts(imageConfig.path("Entrypoint")));
    if (ownEntrypoint && !entrypoint.isEmpty()) {
      // --entrypoint takes one program: the rest of the entrypoint goes before the command, as Docker runs them.
      options.addAll(List.of("--entrypoint", entrypoint.get(0)));
      List<String> rest = new ArrayList<>(entrypoint.subList(1, entrypoint.size()));
      rest.addAll(command);
      command = rest;
    }
    boolean ownCommand = ownEntrypoint || !command.equals(texts(imageConfig.path("Cmd")));
    flag(options, "--user", config.path("User").asText(""), imageConfig.path("User").asText(""));
    flag(options, "--workdir", config.path("WorkingDir").asText(""), imageConfig.path("WorkingDir").asText(""));
    healthcheck(options, config.path("Healthcheck"), imageConfig.path("Healthcheck"));
    resources(options, host);

    String restart = host.path("RestartPolicy").path("Name").asText("no");
    if (restart.isEmpty()) {
      restart = "no";
    } else if (restart.equals("on-failure") && host.path("RestartPolicy").path("MaximumRetryCount").asInt() > 0) {
      restart += ":" + host.path("RestartPolicy").path("MaximumRetryCount").asInt();
    }
    String network = null;
    List<String> aliases = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> networks = container.path("NetworkSettings").path("Networks").fields();
    if (networks.hasNext()) {
      Map.Entry<String, JsonNode> first = networks.next();
      if (!Set.of("bridge", "default").contains(first.getKey())) {
        network = first.getKey();
        String shortId = container.path("Id").asText("").length() >= 12 ? container.path("Id").asText().substring(0, 12) : "";
        texts(first.getValue().path("Aliases")).stream().filter(a -> !a.equals(shortId) && !a.equals(name)).forEach(aliases::add);
      }
      if (host.path("NetworkMode").asText().equals("host")) {
        network = "host";
      }
    }
    int stopTimeout = config.path("StopTimeout").isInt() ? config.path("StopTimeout").asInt() : 10;
    return new ContainerSpec(name, ports(host), env, null, mounts(container), network, ownCommand ? command : null, restart,
        labels, stopTimeout, null, List.of(), aliases, texts(host.path("ExtraHosts")), options);
  }

  /** "127.0.0.1:8080:80/tcp" for each binding, as --publish takes them. */
  private static List<String> ports(JsonNode host) {
    List<String> ports = new ArrayList<>();
    host.path("PortBindings").fields().forEachRemaining(binding -> {
      for (JsonNode to : binding.getValue()) {
        String ip = to.path("HostIp").asText("");
        String hostPort = to.path("HostPort").asText("");
        ports.add((ip.isEmpty() ? "" : ip + ":") + hostPort + ":" + binding.getKey());
      }
    });
    return ports;
  }

  /**
   * Every mount by name (an anonymous volume too, so its data stays with the service) or by path,
   * with :ro where read-only; tmpfs and the like are left to the image. Mounts that came with
   * --volumes-from are named here too, which keeps the same data mounted without the other
   * container having to exist.
   */
  private static List<String> mounts(JsonNode container) {
    List<String> volumes = new ArrayList<>();
    for (JsonNode mount : container.path("Mounts")) {
      String type = mount.path("Type").asText();
      if (!type.equals("volume") && !type.equals("bind")) {
        continue;
      }
      String source = type.equals("volume") ? mount.path("Name").asText() : mount.path("Source").asText();
      volumes.add(source + ":" + mount.path("Destination").asText() + (mount.path("RW").asBoolean(true) ? "" : ":ro"));
    }
    return volumes;
  }

  private static void flag(List<String> options, String flag, String value, String imageValue) {
    if (!value.isEmpty() && !value.equals(imageValue)) {
      options.addAll(List.of(flag, value));
    }
  }

  private static void healthcheck(List<String> options, JsonNode check, JsonNode imageCheck) {
    if (check.isMissingNode() || check.isNull() || check.equals(imageCheck)) {
      return;
    }
    List<String> test = texts(check.path("Test"));
    if (test.equals(List.of("NONE"))) {
      options.add("--no-healthcheck");
      return;
    }
    if (test.size() >= 2 && test.get(0).equals("CMD-SHELL")) {
      options.addAll(List.of("--health-cmd", test.get(1)));
    } else if (test.size() >= 2 && test.get(0).equals("CMD")) {
      // --health-cmd is a shell line: the exec form's words, each quoted.
      options.addAll(List.of("--health-cmd", dev.deployer.ssh.Command.of(test.subList(1, test.size())).line()));
    }
    duration(options, "--health-interval", check.path("Interval"));
    duration(options, "--health-timeout", check.path("Timeout"));
    duration(options, "--health-start-period", check.path("StartPeriod"));
    if (check.path("Retries").asInt() > 0) {
      options.addAll(List.of("--health-retries", Integer.toString(check.path("Retries").asInt())));
    }
  }

  private static void duration(List<String> options, String flag, JsonNode nanos) {
    if (nanos.asLong() > 0) {
      options.addAll(List.of(flag, nanos.asLong() / 1_000_000 + "ms"));
    }
  }

  private static void resources(List<String> options, JsonNode host) {
    if (host.path("Memory").asLong() > 0) {
      options.addAll(List.of("--memory", Long.toString(host.path("Memory").asLong())));
    }
    if (host.path("NanoCpus").asLong() > 0) {
      options.addAll(List.of("--cpus", Double.toString(host.path("NanoCpus").asLong() / 1e9)));
    }
    if (host.path("CpuShares").asLong() > 0) {
      options.addAll(List.of("--cpu-shares", Long.toString(host.path("CpuShares").asLong())));
    }
    if (host.path("PidsLimit").asLong() > 0) {
      options.addAll(List.of("--pids-limit", Long.toString(host.path("PidsLimit").asLong())));
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    if (array.isArray()) {
      array.forEach(value -> values.add(value.asText()));
    }
    return values;
  }
}
