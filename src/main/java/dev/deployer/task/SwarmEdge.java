package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.Docker;
import dev.deployer.docker.SwarmSpec;
import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The edge proxy of a proxied Swarm service, {@code SERVICE-proxy}: Caddy as a global service (one
 * task on every node) publishing the proxy's port in host mode, so every node answers on it
 * without Swarm's routing mesh (which needs IPVS in the kernel). Caddy finds the service's tasks
 * by name every second and, when one refuses or has gone, retries another within the request:
 * an update that starts each new task before stopping an old one costs no request. Its Caddyfile
 * is a Swarm config named by its content, so a changed one is a new config rolled out by Swarm.
 */
final class SwarmEdge {
  private static final String CADDYFILE = "/etc/caddy/Caddyfile";
  private static final String LABEL = "deployer.swarm-edge";
  private static final String CREATE_CONFIG = "printf '%s' \"$1\" | docker config create \"$2\" -";

  private final Docker docker;
  private final String service;
  private final Duration timeout;

  SwarmEdge(Docker docker, String service, Duration timeout) {
    this.docker = docker;
    this.service = service;
    this.timeout = timeout;
  }

  String name() {
    return service + "-proxy";
  }

  /** The overlay network the service and its proxy meet on, made when missing (not under --check). */
  void ensureNetwork() {
    if (!docker.attempt(Command.of("docker", "network", "inspect", SwarmSpec.EDGE_NETWORK)).ok()) {
      docker.run("create network " + SwarmSpec.EDGE_NETWORK, Command.of("docker", "network", "create", "--driver", "overlay",
          "--attachable", SwarmSpec.EDGE_NETWORK));
    }
  }

  /**
   * Makes the edge proxy run as {@code proxy} says, or removes it when the service has no proxy
   * (any more); null when nothing had to change.
   */
  TaskResult ensure(SwarmSpec.Proxy proxy, boolean check) {
    JsonNode edge = SwarmServices.inspect(docker, name()).orElse(null);
    String recorded = edge == null ? null : edge.path("Spec").path("Labels").path(LABEL).asText(null);
    if (proxy == null) {
      if (recorded == null) {
        return null;
      }
      if (check) {
        return TaskResult.changed("would remove " + name());
      }
      docker.run("remove " + name(), Command.of("docker", "service", "rm", name()));
      removeConfigsBut(null);
      return TaskResult.changed("removed " + name());
    }
    String caddyfile = caddyfile(service, proxy.appPort());
    String config = name() + "-" + hash(caddyfile);
    String wanted = proxy.port() + " " + proxy.image() + " " + config;
    if (wanted.equals(recorded)) {
      return null;
    }
    String verb = edge == null ? "create" : "update";
    if (check) {
      return TaskResult.changed("would " + verb + " " + name() + " on port " + proxy.port() + " of every node");
    }
    if (!docker.attempt(Command.of("docker", "config", "inspect", config)).ok()) {
      docker.run("create config " + config, Command.script(CREATE_CONFIG, caddyfile, config));
    }
    List<String> argv = new ArrayList<>(List.of("timeout", String.valueOf(timeout.toSeconds()), "docker", "service"));
    String mount = "source=" + config + ",target=" + CADDYFILE;
    if (edge == null) {
      argv.addAll(List.of("create", "--name", name(), "--mode", "global", "--network", SwarmSpec.EDGE_NETWORK,
          "--publish", "mode=host,published=" + proxy.port() + ",target=80", "--config", mount,
          "--label", LABEL + "=" + wanted, proxy.image(), "caddy", "run", "--config", CADDYFILE, "--adapter", "caddyfile"));
    } else {
      argv.addAll(List.of("update", "--image", proxy.image(), "--label-add", LABEL + "=" + wanted));
      for (JsonNode published : edge.path("Spec").path("EndpointSpec").path("Ports")) {
        argv.addAll(List.of("--publish-rm", published.path("TargetPort").asText()));
      }
      argv.addAll(List.of("--publish-add", "mode=host,published=" + proxy.port() + ",target=80"));
      for (JsonNode mounted : edge.path("Spec").path("TaskTemplate").path("ContainerSpec").path("Configs")) {
        argv.addAll(List.of("--config-rm", mounted.path("ConfigName").asText()));
      }
      argv.addAll(List.of("--config-add", mount, name()));
    }
    CommandResult result = docker.attempt(Command.of(argv));
    if (!result.ok()) {
      return TaskResult.failed("could not " + verb + " " + name() + ": "
          + (result.exitCode() == 124 ? "it did not converge within " + timeout.toSeconds() + " s" : result.errorSummary())
          + SwarmServices.tasks(docker, name()));
    }
    removeConfigsBut(config);
    return TaskResult.changed((edge == null ? "created " : "updated ") + name() + ": port " + proxy.port()
        + " on every node -> " + service + ":" + proxy.appPort());
  }

  /** Configs of earlier Caddyfiles; one still mounted somewhere is refused by Swarm and stays. */
  private void removeConfigsBut(String kept) {
    String names = docker.run("list configs", Command.of("docker", "config", "ls", "--filter", "name=" + name() + "-",
        "--format", "{{.Name}}"));
    for (String config : names.lines().filter(n -> n.startsWith(name() + "-") && !n.equals(kept)).toList()) {
      docker.attempt(Command.of("docker", "config", "rm", config));
    }
  }

  /**
   * Caddy in front of the service's tasks: their addresses looked up every second, a request
   * that cannot reach one retried on another for up to 5 s, and a task that refused left out for
   * 2 s. No admin API: the configuration changes only by a new config rolled out by Swarm.
   */
  static String caddyfile(String service, int appPort) {
    return """
        {
        \tadmin off
        \tauto_https off
        }
        :80 {
        \treverse_proxy {
        \t\tdynamic a tasks.%s %d {
        \t\t\trefresh 1s
        \t\t}
        \t\tlb_try_duration 5s
        \t\tlb_try_interval 100ms
        \t\tfail_duration 2s
        \t}
        }
        """.formatted(service, appPort);
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
