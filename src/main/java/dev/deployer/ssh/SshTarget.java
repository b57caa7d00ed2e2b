package dev.deployer.ssh;

import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.OpenSSHConfig;
import dev.deployer.inventory.Host;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where and how to log in to one host, as OpenSSH would work it out: the inventory's settings
 * first, then the ssh config file's entry for the host ({@code HostName}, {@code User}, {@code
 * Port}, {@code IdentityFile}, {@code IdentitiesOnly}, {@code UserKnownHostsFile}, {@code
 * StrictHostKeyChecking}, {@code ProxyJump}), then defaults. Bastions come from {@code ProxyJump}
 * in the config file, {@code -J} or {@code -o ProxyJump=} in {@code ansible_ssh_common_args} /
 * {@code ansible_ssh_extra_args}, or a {@code jump: user@host:port} variable; each is resolved
 * through the config file too.
 *
 * @param name how messages name it: the inventory name, or "bastion user@host:port"
 * @param jumps the bastions to go through, outermost first
 */
public record SshTarget(String name, String address, int port, String user, List<Path> identityFiles,
    boolean identitiesOnly, Path knownHosts, HostKeyChecking hostKeyChecking, List<SshTarget> jumps) {

  public SshTarget {
    identityFiles = List.copyOf(identityFiles);
    jumps = List.copyOf(jumps);
  }

  /** "web1 (192.0.2.10:2222)", for messages. */
  public String describe() {
    return name + " (" + address + (port == 22 ? "" : ":" + port) + ")";
  }

  /** The key of a session that may be shared: who logs in where, through which bastions. */
  String chainKey() {
    StringBuilder key = new StringBuilder();
    for (SshTarget jump : jumps) {
      key.append(jump.user).append('@').append(jump.address).append(':').append(jump.port).append('>');
    }
    return key.append(user).append('@').append(address).append(':').append(port).toString();
  }

  /** Resolves a host's login with the options and, when there is one, an ssh config file. */
  public static SshTarget of(Host host, SshOptions options) {
    Map<String, Object> vars = host.vars();
    SshArgs args = SshArgs.parse(text(vars, "ansible_ssh_common_args") + " " + text(vars, "ansible_ssh_extra_args"));
    Path configFile = args.configFile() != null ? Path.of(args.configFile()) : options.sshConfig();
    ConfigRepository.Config config = config(configFile).getConfig(host.address());
    String user = has(vars, "ansible_user", "user") ? host.user() : first(config.getUser(), host.user());
    int port = has(vars, "ansible_port", "port") ? host.port() : config.getPort() > 0 ? config.getPort() : host.port();
    String address = first(config.getHostname(), host.address());
    List<Path> keys = host.identityFile() != null ? List.of(host.identityFile()) : files(config.getValues("IdentityFile"));
    Path knownHosts = host.knownHosts() != null ? host.knownHosts()
        : config.getValue("UserKnownHostsFile") != null ? expand(config.getValue("UserKnownHostsFile").split("\\s+")[0])
        : options.defaultKnownHosts();
    HostKeyChecking checking = checking(config.getValue("StrictHostKeyChecking"), options.hostKeyChecking());
    boolean identitiesOnly = "yes".equalsIgnoreCase(config.getValue("IdentitiesOnly"));
    String jumpSpec = args.proxyJump() != null ? args.proxyJump()
        : vars.get("jump") != null ? vars.get("jump").toString() : config.getValue("ProxyJump");
    List<SshTarget> jumps = new ArrayList<>();
    if (jumpSpec != null && !jumpSpec.equalsIgnoreCase("none")) {
      for (String hop : jumpSpec.split(",")) {
        jumps.add(hop(hop.trim(), configFile, user, keys, knownHosts, checking, List.copyOf(jumps)));
      }
    }
    return new SshTarget(host.name(), address, port, user, keys, identitiesOnly, knownHosts, checking, jumps);
  }

  /**
   * One bastion, {@code [user@]host[:port]}, with what the config file says of it; without a user
   * or key files of its own, it takes the host's (one key for a fleet is the common case).
   */
  private static SshTarget hop(String spec, Path configFile, String defaultUser, List<Path> defaultKeys, Path knownHosts,
      HostKeyChecking checking, List<SshTarget> before) {
    String user = null;
    String hostPart = spec;
    int at = spec.lastIndexOf('@');
    if (at > 0) {
      user = spec.substring(0, at);
      hostPart = spec.substring(at + 1);
    }
    int port = -1;
    int colon = hostPart.lastIndexOf(':');
    if (colon > 0 && hostPart.indexOf(':') == colon) {
      try {
        port = Integer.parseInt(hostPart.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new UnreachableException("bastion '" + spec + "' has a port that is not a number");
      }
      hostPart = hostPart.substring(0, colon);
    }
    ConfigRepository.Config config = config(configFile).getConfig(hostPart);
    String resolvedUser = user != null ? user : first(config.getUser(), defaultUser);
    int resolvedPort = port > 0 ? port : config.getPort() > 0 ? config.getPort() : 22;
    String address = first(config.getHostname(), hostPart);
    Path hopKnownHosts = config.getValue("UserKnownHostsFile") != null
        ? expand(config.getValue("UserKnownHostsFile").split("\\s+")[0]) : knownHosts;
    List<Path> keys = files(config.getValues("IdentityFile"));
    return new SshTarget("bastion " + hostPart, address, resolvedPort, resolvedUser,
        keys.isEmpty() ? defaultKeys : keys, "yes".equalsIgnoreCase(config.getValue("IdentitiesOnly")),
        hopKnownHosts, checking(config.getValue("StrictHostKeyChecking"), checking), before);
  }

  private static ConfigRepository config(Path file) {
    if (file == null || !Files.exists(file)) {
      return ConfigRepository.nullConfig;
    }
    try {
      return OpenSSHConfig.parseFile(file.toString());
    } catch (IOException e) {
      throw new UnreachableException("cannot read ssh config " + file + ": " + e.getMessage(), e);
    }
  }

  private static HostKeyChecking checking(String value, HostKeyChecking fallback) {
    if (value == null) {
      return fallback;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "yes", "ask" -> HostKeyChecking.STRICT;
      case "accept-new" -> HostKeyChecking.ACCEPT_NEW;
      case "no", "off" -> HostKeyChecking.OFF;
      default -> fallback;
    };
  }

  private static List<Path> files(String[] values) {
    List<Path> files = new ArrayList<>();
    if (values != null) {
      for (String value : values) {
        files.add(expand(value));
      }
    }
    return files;
  }

  static Path expand(String path) {
    String home = System.getProperty("user.home");
    if (path.equals("~") || path.startsWith("~/")) {
      return Path.of(home, path.substring(1).replaceFirst("^/", ""));
    }
    return Path.of(path.replace("%d", home));
  }

  private static boolean has(Map<String, Object> vars, String ansibleName, String shortName) {
    return vars.get(ansibleName) != null || vars.get(shortName) != null;
  }

  private static String text(Map<String, Object> vars, String key) {
    Object value = vars.get(key);
    return value == null ? "" : value.toString();
  }

  private static String first(String preferred, String fallback) {
    return preferred != null && !preferred.isBlank() ? preferred : fallback;
  }
}
