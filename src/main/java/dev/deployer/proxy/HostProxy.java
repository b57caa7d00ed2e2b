package dev.deployer.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.DockerException;
import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The proxy container of one host, reached only through {@code docker exec}: its routes (read
 * from the configuration Caddy saved), a new set of routes (loaded through its admin socket), and
 * the connections it holds to a container.
 */
public final class HostProxy {
  public static final String CONTAINER = "deployer-proxy";
  public static final String NETWORK = "deployer";
  /** Where Caddy saves the configuration it runs ({@code XDG_CONFIG_HOME=/config} in its image). */
  private static final String AUTOSAVE = "/config/caddy/autosave.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Docker docker;

  public HostProxy(Docker docker) {
    this.docker = docker;
  }

  /** True when the proxy container runs. */
  public boolean running() {
    return docker.inspectContainer(CONTAINER).map(c -> c.path("State").path("Running").asBoolean()).orElse(false);
  }

  /** The routes the proxy runs, by service; none when it has never been given any. */
  public Map<String, Route> routes() {
    CommandResult saved = docker.attempt(DockerCommands.exec(CONTAINER, false, List.of("cat", AUTOSAVE)));
    if (!saved.ok()) {
      if (saved.errorSummary().contains("No such file")) {
        return Map.of();
      }
      throw new DockerException("reading the routes of " + CONTAINER + " failed: " + saved.errorSummary());
    }
    try {
      return CaddyConfig.routes(JSON.readTree(saved.stdout()));
    } catch (IOException e) {
      throw new DockerException("the configuration " + CONTAINER + " saved cannot be read: " + e.getMessage());
    }
  }

  /**
   * Makes these the proxy's routes. Caddy starts the new configuration and lets requests already
   * running finish on the old one; a configuration it cannot start (a port taken) changes nothing.
   */
  public void load(Map<String, Route> routes) {
    Command reload = Command.of("printf", "%s", CaddyConfig.render(routes)).pipe(DockerCommands.exec(CONTAINER, true,
        List.of("caddy", "reload", "--config", "/dev/stdin", "--address", CaddyConfig.ADMIN)));
    CommandResult result = docker.attempt(reload);
    if (!result.ok()) {
      throw new DockerException("the proxy refused the new routes: " + caddyError(result));
    }
  }

  /** Caddy's own words from a failed reload: the last "error" field of its JSON log lines, or its output. */
  private static String caddyError(CommandResult result) {
    String why = null;
    for (String line : (result.stderr() + "\n" + result.stdout()).split("\n")) {
      int at = line.indexOf("Error: ");
      if (at >= 0) {
        why = line.substring(at + 7).trim();
      }
    }
    return why != null ? why : result.errorSummary();
  }

  /**
   * How many connections the proxy has open to an upstream ({@code address:port}): requests still
   * running there, and idle connections that close {@link CaddyConfig#UPSTREAM_IDLE} after their
   * last. The proxy is on the host's network, so the host's TCP table is its own.
   */
  public int connectionsTo(String upstream) {
    String table = docker.run("reading the proxy's connections", DockerCommands.exec(CONTAINER, false, List.of("cat", "/proc/net/tcp")));
    return TcpTable.established(table, upstream);
  }

  /** The container's address on the proxy's network, if it is on it and runs. */
  public static Optional<String> address(JsonNode container) {
    String ip = container.path("NetworkSettings").path("Networks").path(NETWORK).path("IPAddress").asText("");
    return ip.isEmpty() ? Optional.empty() : Optional.of(ip);
  }

  /**
   * An address on the proxy's network that no container holds: a container keeps it across
   * restarts and reboots, where Docker would otherwise hand out whatever is free, and the route
   * would lead to some other container. Picked at random, so that two deploys at once rarely ask
   * for the same; Docker refuses the second if they do.
   */
  public String freeAddress() {
    JsonNode network = Docker.parse(docker.run("reading the network " + NETWORK, DockerCommands.networkDocument(NETWORK)));
    String subnet = network.path("IPAM").path("Config").path(0).path("Subnet").asText("");
    if (subnet.isEmpty() || subnet.contains(":")) {
      throw new DockerException("the network " + NETWORK + " has no IPv4 subnet of its own; remove it (docker network rm "
          + NETWORK + ") and run ensure_proxy, which makes it with one");
    }
    Set<String> taken = new HashSet<>();
    network.path("Containers").forEach(c -> taken.add(c.path("IPv4Address").asText().replaceAll("/.*", "")));
    taken.add(network.path("IPAM").path("Config").path(0).path("Gateway").asText());
    return pick(subnet, taken);
  }

  static String pick(String subnet, Set<String> taken) {
    String[] parts = subnet.split("/");
    try {
      byte[] base = InetAddress.getByName(parts[0]).getAddress();
      int bits = Integer.parseInt(parts[1]);
      long size = 1L << (32 - bits);
      if (size < 8) {
        throw new DockerException("the network " + NETWORK + " (" + subnet + ") is too small");
      }
      long start = new BigInteger(1, base).longValue() & ~(size - 1);
      for (int attempt = 0; attempt < 1000; attempt++) {
        // Skips the network's own address, the first few (the gateway is usually .1) and the broadcast.
        long candidate = start + 4 + (long) (RANDOM.nextDouble() * (size - 5));
        String ip = String.format(Locale.ROOT, "%d.%d.%d.%d", candidate >> 24 & 255, candidate >> 16 & 255,
            candidate >> 8 & 255, candidate & 255);
        if (!taken.contains(ip)) {
          return ip;
        }
      }
    } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new DockerException("the subnet of " + NETWORK + " (" + subnet + ") cannot be read");
    }
    throw new DockerException("the network " + NETWORK + " (" + subnet + ") has no free address");
  }
}
