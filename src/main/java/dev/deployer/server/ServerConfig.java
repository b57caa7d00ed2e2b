package dev.deployer.server;

import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Location;
import dev.deployer.yaml.Suggestions;
import dev.deployer.yaml.YamlLoader;
import dev.deployer.yaml.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code deployer serve}'s settings: where it listens, its data, its users, and the projects it
 * deploys. {@code ${VAR}} in a value reads the environment (for secrets), and DEPLOYER_LISTEN,
 * DEPLOYER_API_ROOT, DEPLOYER_DATA_DIR, DEPLOYER_INVENTORY and DEPLOYER_USERS override the file.
 */
public record ServerConfig(
    String listenHost,
    int listenPort,
    String apiRoot,
    Path inventory,
    Path dataDir,
    Path usersFile,
    long maxUploadBytes,
    int maxHookBytes,
    int hookRatePerMinute,
    Map<String, Project> projects) {

  /**
   * A project the server deploys.
   *
   * @param tags glob patterns a pushed tag must match ("latest", "v*")
   * @param secret the Docker Hub hook token and the generic hook's HMAC key
   */
  public record Project(String name, Path playbook, String hosts, List<String> repositories, List<String> tags,
      String secret) {

    public boolean acceptsRepository(String repository) {
      return repositories.contains(repository);
    }

    public boolean acceptsTag(String tag) {
      return tags.stream().anyMatch(pattern -> glob(pattern).matcher(tag).matches());
    }

    private static Pattern glob(String pattern) {
      return Pattern.compile(("\\Q" + pattern + "\\E").replace("*", "\\E.*\\Q"));
    }
  }

  private static final Set<String> KEYS = Set.of("listen", "api_root", "inventory", "data_dir", "users", "projects",
      "max_upload_mb", "max_hook_kb", "hook_rate_per_minute");
  private static final Set<String> PROJECT_KEYS = Set.of("playbook", "hosts", "repositories", "tags", "secret");
  private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  public static ServerConfig load(Path file, Function<String, String> env) {
    YamlNode root = YamlLoader.load(file);
    if (!(root instanceof YamlNode.Mapping top)) {
      throw new ConfigException(root.location(), "a server config is a mapping (listen, api_root, inventory, data_dir, users, projects)");
    }
    for (YamlNode.Entry entry : top.entries().values()) {
      if (!KEYS.contains(entry.key())) {
        throw new ConfigException(entry.keyLocation(), "unknown key '" + entry.key() + "'" + Suggestions.didYouMean(entry.key(), KEYS));
      }
    }
    Path base = file.toAbsolutePath().getParent();
    String listen = override(env, "DEPLOYER_LISTEN", string(top, "listen", "127.0.0.1:9955", env));
    int colon = listen.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigException(top.locationOf("listen"), "listen must be host:port, not '" + listen + "'");
    }
    String apiRoot = override(env, "DEPLOYER_API_ROOT", string(top, "api_root", "/deploy", env)).replaceAll("/+$", "");
    Path inventory = base.resolve(override(env, "DEPLOYER_INVENTORY", string(top, "inventory", "hosts.yml", env)));
    Path dataDir = base.resolve(override(env, "DEPLOYER_DATA_DIR", string(top, "data_dir", "data", env)));
    Path users = base.resolve(override(env, "DEPLOYER_USERS", string(top, "users", "users.txt", env)));
    Map<String, Project> projects = new LinkedHashMap<>();
    if (top.get("projects") instanceof YamlNode.Mapping list) {
      for (YamlNode.Entry entry : list.entries().values()) {
        projects.put(entry.key(), project(entry, base, env));
      }
    }
    return new ServerConfig(
        listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)), apiRoot.isEmpty() ? "" : apiRoot,
        inventory, dataDir, users,
        Long.parseLong(string(top, "max_upload_mb", "2048", env)) * 1024 * 1024,
        Integer.parseInt(string(top, "max_hook_kb", "1024", env)) * 1024,
        Integer.parseInt(string(top, "hook_rate_per_minute", "60", env)),
        projects);
  }

  private static Project project(YamlNode.Entry entry, Path base, Function<String, String> env) {
    if (!(entry.value() instanceof YamlNode.Mapping settings)) {
      throw new ConfigException(entry.keyLocation(), "project '" + entry.key() + "' must be a mapping");
    }
    for (YamlNode.Entry setting : settings.entries().values()) {
      if (!PROJECT_KEYS.contains(setting.key())) {
        throw new ConfigException(setting.keyLocation(), "unknown key '" + setting.key() + "' in project '" + entry.key() + "'"
            + Suggestions.didYouMean(setting.key(), PROJECT_KEYS));
      }
    }
    String playbook = string(settings, "playbook", null, env);
    if (playbook == null) {
      throw new ConfigException(entry.keyLocation(), "project '" + entry.key() + "' needs a playbook");
    }
    String secret = string(settings, "secret", null, env);
    if (secret == null || secret.length() < 16) {
      throw new ConfigException(settings.locationOf("secret"), "project '" + entry.key()
          + "' needs a secret of 16 characters or more (the hook token and HMAC key); use ${VAR} to read it from the environment");
    }
    List<String> tags = strings(settings, "tags", env);
    return new Project(entry.key(), base.resolve(playbook), string(settings, "hosts", "all", env),
        strings(settings, "repositories", env), tags.isEmpty() ? List.of("latest") : tags, secret);
  }

  private static String override(Function<String, String> env, String name, String value) {
    String fromEnv = env.apply(name);
    return fromEnv != null && !fromEnv.isBlank() ? fromEnv : value;
  }

  private static String string(YamlNode.Mapping mapping, String key, String fallback, Function<String, String> env) {
    YamlNode node = mapping.get(key);
    if (node == null || node instanceof YamlNode.Scalar s && s.value() == null) {
      return fallback;
    }
    if (!(node instanceof YamlNode.Scalar scalar)) {
      throw new ConfigException(node.location(), key + " must be a single value");
    }
    return expand(scalar.value().toString(), node.location(), env);
  }

  private static List<String> strings(YamlNode.Mapping mapping, String key, Function<String, String> env) {
    if (mapping == null || mapping.get(key) == null) {
      return List.of();
    }
    YamlNode node = mapping.get(key);
    List<String> out = new ArrayList<>();
    if (node instanceof YamlNode.Sequence seq) {
      seq.items().forEach(item -> out.add(expand(String.valueOf(item.toPlain()), item.location(), env)));
    } else {
      out.add(expand(String.valueOf(node.toPlain()), node.location(), env));
    }
    return out;
  }

  private static String expand(String value, Location where, Function<String, String> env) {
    Matcher m = ENV.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = env.apply(m.group(1));
      if (v == null) {
        throw new ConfigException(where, "environment variable " + m.group(1) + " is not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return out.toString();
  }
}
