package dev.deployer.playbook;

import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Suggestions;
import dev.deployer.yaml.YamlLoader;
import dev.deployer.yaml.YamlNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code services.yml}: the services the deploy verbs work on (build context, image, ports, env,
 * health, ...) and the Docker version hosts need. Each service becomes one item of the built-in
 * playbooks' loops, with every key present so templates never miss one.
 */
public final class ServicesFile {
  private static final Set<String> TOP = Set.of("services", "docker");
  private static final Set<String> DOCKER = Set.of("version", "install");
  private static final Map<String, Object> DEFAULTS = defaults();
  /** The docker section when a file says nothing: any engine from 20.10 on, installed from Debian's packages. */
  public static final Map<String, Object> DOCKER_DEFAULTS = Map.of("version", ">=20.10", "install", "distro");

  private final Map<String, Map<String, Object>> services;
  private final Map<String, Object> docker;

  private ServicesFile(Map<String, Map<String, Object>> services, Map<String, Object> docker) {
    this.services = services;
    this.docker = docker;
  }

  private static Map<String, Object> defaults() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("build", null);
    d.put("image", null);
    d.put("tag", "latest");
    d.put("dockerfile", "Dockerfile");
    d.put("build_args", Map.of());
    d.put("ports", List.of());
    d.put("env", Map.of());
    d.put("env_file", null);
    d.put("volumes", List.of());
    d.put("network", null);
    d.put("command", null);
    d.put("restart_policy", "unless-stopped");
    d.put("labels", Map.of());
    d.put("health", Map.of());
    d.put("keep", 3);
    d.put("stop_timeout", 10);
    d.put("proxy", null);
    return d;
  }

  @SuppressWarnings("unchecked")
  public static ServicesFile load(Path file) {
    if (!Files.exists(file)) {
      throw new ConfigException(null, "no services file " + file + " (write one, or pass --services FILE)");
    }
    YamlNode root = YamlLoader.load(file);
    if (!(root instanceof YamlNode.Mapping top)) {
      throw new ConfigException(root.location(), "a services file is a mapping with 'services:' (and 'docker:')");
    }
    for (YamlNode.Entry entry : top.entries().values()) {
      if (!TOP.contains(entry.key())) {
        throw new ConfigException(entry.keyLocation(), "unknown key '" + entry.key() + "'" + Suggestions.didYouMean(entry.key(), TOP));
      }
    }
    Map<String, Map<String, Object>> services = new LinkedHashMap<>();
    if (top.get("services") instanceof YamlNode.Mapping list) {
      for (YamlNode.Entry service : list.entries().values()) {
        services.put(service.key(), service(service, file));
      }
    } else if (top.get("services") != null) {
      throw new ConfigException(top.locationOf("services"), "services must be a mapping of service names to settings");
    }
    Map<String, Object> docker = new LinkedHashMap<>(DOCKER_DEFAULTS);
    if (top.get("docker") instanceof YamlNode.Mapping d) {
      for (YamlNode.Entry entry : d.entries().values()) {
        if (!DOCKER.contains(entry.key())) {
          throw new ConfigException(entry.keyLocation(), "unknown key '" + entry.key() + "' in docker" + Suggestions.didYouMean(entry.key(), DOCKER));
        }
        docker.put(entry.key(), entry.value().toPlain());
      }
    }
    return new ServicesFile(services, docker);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(YamlNode.Entry entry, Path file) {
    if (!(entry.value() instanceof YamlNode.Mapping settings)) {
      throw new ConfigException(entry.keyLocation(), "service '" + entry.key() + "' must be a mapping of settings");
    }
    Map<String, Object> service = new LinkedHashMap<>(DEFAULTS);
    service.put("name", entry.key());
    service.put("image", entry.key());
    for (YamlNode.Entry setting : settings.entries().values()) {
      if (!DEFAULTS.containsKey(setting.key())) {
        throw new ConfigException(setting.keyLocation(), "unknown setting '" + setting.key() + "' for service '" + entry.key() + "'"
            + Suggestions.didYouMean(setting.key(), DEFAULTS.keySet()));
      }
      service.put(setting.key(), setting.value().toPlain());
    }
    if (service.get("build") != null) {
      // Build contexts are relative to the services file, wherever deployer runs from.
      service.put("build", file.toAbsolutePath().getParent().resolve(service.get("build").toString()).normalize().toString());
    } else {
      service.remove("build");
    }
    return service;
  }

  /** The named services (all of them when none is named), as loop items. */
  public List<Map<String, Object>> select(List<String> names, String tag) {
    List<Map<String, Object>> chosen = new ArrayList<>();
    for (String name : names.isEmpty() ? List.copyOf(services.keySet()) : names) {
      Map<String, Object> service = services.get(name);
      if (service == null) {
        throw new ConfigException(null, "no service '" + name + "' in the services file" + Suggestions.didYouMean(name, services.keySet())
            + (services.isEmpty() ? "" : "; it has: " + String.join(", ", services.keySet())));
      }
      Map<String, Object> item = new LinkedHashMap<>(service);
      if (tag != null) {
        item.put("tag", tag);
      }
      chosen.add(item);
    }
    return chosen;
  }

  public Map<String, Object> docker() {
    return docker;
  }

  /** The names of its services, in file order. */
  public java.util.Set<String> names() {
    return services.keySet();
  }

  /**
   * The variables of the built-in healthcheck playbook: the named services with their http
   * probes as a list, or every container when none is named.
   */
  public static Map<String, Object> healthcheckVariables(List<Map<String, Object>> services, boolean restart) {
    List<Map<String, Object>> chosen = new ArrayList<>();
    for (Map<String, Object> service : services) {
      Map<String, Object> item = new LinkedHashMap<>(service);
      Object http = service.get("health") instanceof Map<?, ?> health ? health.get("http") : null;
      item.put("probes", http == null ? List.of() : http instanceof List<?> list ? list : List.of(http));
      chosen.add(item);
    }
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("services", chosen);
    vars.put("all_containers", services.isEmpty());
    vars.put("restart", restart);
    return vars;
  }
}
