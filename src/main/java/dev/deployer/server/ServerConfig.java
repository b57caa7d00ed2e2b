package dev.deployer.server;

import dev.deployer.docker.DockerNames;
import dev.deployer.server.http.ClientAddress;
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
 * {@code deployer serve}'s settings: where it listens, its data, its users and tokens, whom it
 * trusts, and the projects it deploys. {@code ${VAR}} in a value reads the environment (for
 * secrets), and DEPLOYER_LISTEN, DEPLOYER_API_ROOT, DEPLOYER_DATA_DIR, DEPLOYER_INVENTORY and
 * DEPLOYER_USERS override the file; IPD's API_ROOT and AUTH_DB stand in where the file says nothing.
 *
 * @param trustedProxies peers whose X-Real-IP / X-Forwarded-For name the client (none by default)
 * @param callbackHosts hosts a hook's callback_url may name ("host" or "host:port")
 * @param keepUploads per project, how many deployed uploads keep their files (for a rollback)
 * @param keepDays finished deployments older than this are forgotten
 * @param uploadsDir where uploads are kept (default: data_dir/uploads; IPD's UPLOAD_DIR)
 * @param logsDir where each deployment's run log is written (default: data_dir/logs; IPD's LOG_DIR)
 * @param store the database replicas share, {@code postgresql://...}; null for SQLite under data_dir
 */
public record ServerConfig(
    String listenHost,
    int listenPort,
    String apiRoot,
    Path inventory,
    Path dataDir,
    Path usersFile,
    Path tokensFile,
    long maxUploadBytes,
    int maxHookBytes,
    int hookRatePerMinute,
    int uploadsPerHour,
    List<ClientAddress.Block> trustedProxies,
    List<String> callbackHosts,
    int keepUploads,
    int keepDays,
    Map<String, Project> projects,
    Path uploadsDir,
    Path logsDir,
    String store) {

  /** Docker Hub's own hosts: where its webhooks' callback_url points. */
  public static final List<String> DOCKER_HUB_CALLBACK_HOSTS = List.of("registry.hub.docker.com", "hub.docker.com");

  /**
   * A project the server deploys.
   *
   * @param tags glob patterns a pushed tag must match ("latest", "v*")
   * @param hookToken the Docker Hub hook's URL token, or null (no Docker Hub hook)
   * @param signingSecret the generic hook's HMAC key, or null (no generic hook)
   * @param legacySignature whether the generic hook also takes the old X-Signature-256 header
   * @param delay how long a deployment waits before it begins (a newer one in that time supersedes it)
   * @param notifyUrls URLs that get a JSON summary of each deployment that ends ok or failed
   * @param redeployRunning {@code redeploy: running}: no playbook; every running container of the
   *     pushed repository on the hosts is run at the new tag with its own configuration
   */
  public record Project(String name, Path playbook, String hosts, List<String> repositories, List<String> tags,
      String hookToken, String signingSecret, boolean legacySignature, UnitCommand unit, PackageHooks packageHooks,
      java.time.Duration delay, List<String> notifyUrls, boolean redeployRunning) {

    /** A repository named, or one under an owner written "owner/*" (gopdater's OWNER). */
    public boolean acceptsRepository(String repository) {
      return repositories.stream().anyMatch(accepted -> accepted.endsWith("/*")
          ? repository.startsWith(accepted.substring(0, accepted.length() - 1))
              && !repository.substring(accepted.length() - 1).contains("/")
          : accepted.equals(repository));
    }

    public boolean acceptsTag(String tag) {
      return tags.stream().anyMatch(pattern -> glob(pattern).matcher(tag).matches());
    }

    private static Pattern glob(String pattern) {
      return Pattern.compile(("\\Q" + pattern + "\\E").replace("*", "\\E.*\\Q"));
    }
  }

  private static final Set<String> KEYS = Set.of("listen", "api_root", "inventory", "data_dir", "users", "tokens",
      "projects", "max_upload_mb", "max_hook_kb", "hook_rate_per_minute", "uploads_per_hour", "trusted_proxies",
      "callback_hosts", "keep_uploads", "keep_days", "uploads_dir", "logs_dir", "store");
  private static final Set<String> PROJECT_KEYS = Set.of("playbook", "unit", "units", "package", "hosts", "repositories",
      "tags", "hook_token", "secret", "signing_secret", "legacy_signature", "delay", "notify", "redeploy");
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
  private static final Set<String> PACKAGE_KEYS = Set.of("control", "dest");

  /**
   * IPD's flow for an uploaded package: unpacked to {@code dest} on the project's hosts, then its
   * control script's check, prepare and deploy (the package_hooks task).
   */
  public record PackageHooks(String control, String dest) {}

  /**
   * A unit command a project runs instead of a playbook (the seed's upgrade on a push).
   *
   * @param units the units directory, read again for each deployment
   */
  public record UnitCommand(dev.deployer.unit.UnitCall call, Path units) {}
  private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  private static final Pattern TAG_GLOB = Pattern.compile("[\\w*][\\w.*-]{0,127}");
  private static final Pattern CALLBACK_HOST = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+](?::[0-9]{1,5})?");
  private static final int MIN_SECRET = 16;

  public static ServerConfig load(Path file, Function<String, String> env) {
    YamlNode root = YamlLoader.load(file);
    if (!(root instanceof YamlNode.Mapping top)) {
      throw new ConfigException(root.location(), "a server config is a mapping (listen, api_root, inventory, data_dir, users, projects)");
    }
    checkKeys(top, KEYS, "");
    Path base = file.toAbsolutePath().getParent();
    String listen = override(env, "DEPLOYER_LISTEN", string(top, "listen", "127.0.0.1:9955", env));
    int colon = listen.lastIndexOf(':');
    if (colon < 0 || !listen.substring(colon + 1).matches("[0-9]{1,5}")) {
      throw new ConfigException(top.locationOf("listen"), "listen must be host:port, not '" + listen + "'");
    }
    String apiRoot = override(env, "DEPLOYER_API_ROOT", string(top, "api_root", ipd(env, "API_ROOT", "/deploy"), env))
        .replaceAll("/+$", "");
    if (!apiRoot.isEmpty() && !apiRoot.matches("(/[A-Za-z0-9._~-]+)+")) {
      throw new ConfigException(top.locationOf("api_root"), "api_root is a path such as /deploy, not '" + apiRoot + "'");
    }
    Map<String, Project> projects = new LinkedHashMap<>();
    if (top.get("projects") instanceof YamlNode.Mapping list) {
      for (YamlNode.Entry entry : list.entries().values()) {
        projects.put(entry.key(), project(entry, base, env));
      }
    }
    List<ClientAddress.Block> proxies = new ArrayList<>();
    for (String proxy : strings(top, "trusted_proxies", env)) {
      try {
        proxies.add(ClientAddress.Block.parse(proxy));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(top.locationOf("trusted_proxies"), "trusted_proxies: " + e.getMessage());
      }
    }
    List<String> callbackHosts = top.get("callback_hosts") == null ? DOCKER_HUB_CALLBACK_HOSTS : strings(top, "callback_hosts", env);
    for (String host : callbackHosts) {
      if (!CALLBACK_HOST.matcher(host).matches()) {
        throw new ConfigException(top.locationOf("callback_hosts"), "callback_hosts are host names or host:port, not '" + host + "'");
      }
    }
    for (Project project : projects.values()) {
      for (String url : project.notifyUrls()) {
        String refusal = CallbackOutbox.refusal(url, callbackHosts);
        if (refusal != null) {
          throw new ConfigException(top.locationOf("projects"), "project '" + project.name() + "' notifies " + url + ": "
              + refusal);
        }
      }
    }
    Path dataDir = base.resolve(override(env, "DEPLOYER_DATA_DIR", string(top, "data_dir", "data", env)));
    String uploadsDir = string(top, "uploads_dir", ipd(env, "UPLOAD_DIR", null), env);
    String logsDir = string(top, "logs_dir", ipd(env, "LOG_DIR", null), env);
    return new ServerConfig(
        listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1)), apiRoot,
        base.resolve(override(env, "DEPLOYER_INVENTORY", string(top, "inventory", "hosts.yml", env))),
        dataDir,
        base.resolve(override(env, "DEPLOYER_USERS", string(top, "users", ipd(env, "AUTH_DB", "users.txt"), env))),
        base.resolve(string(top, "tokens", "tokens.txt", env)),
        integer(top, "max_upload_mb", 2048, 1, env) * 1024L * 1024,
        integer(top, "max_hook_kb", 64, 1, env) * 1024,
        integer(top, "hook_rate_per_minute", 60, 1, env),
        integer(top, "uploads_per_hour", 30, 1, env),
        List.copyOf(proxies), List.copyOf(callbackHosts),
        integer(top, "keep_uploads", 3, 0, env),
        integer(top, "keep_days", 90, 1, env),
        projects,
        uploadsDir == null ? dataDir.resolve("uploads") : base.resolve(uploadsDir),
        logsDir == null ? dataDir.resolve("logs") : base.resolve(logsDir),
        store(top, env));
  }

  /** The database: SQLite (no store, or store: sqlite) or a shared PostgreSQL server. */
  private static String store(YamlNode.Mapping top, Function<String, String> env) {
    String store = string(top, "store", null, env);
    if (store == null || store.equals("sqlite")) {
      return null;
    }
    if (!store.startsWith("postgresql://") && !store.startsWith("postgres://")) {
      throw new ConfigException(top.locationOf("store"), "store must be sqlite or postgresql://user:password@host:port/database");
    }
    return store;
  }

  private static Project project(YamlNode.Entry entry, Path base, Function<String, String> env) {
    if (!(entry.value() instanceof YamlNode.Mapping settings)) {
      throw new ConfigException(entry.keyLocation(), "project '" + entry.key() + "' must be a mapping");
    }
    String where = " in project '" + entry.key() + "'";
    checkKeys(settings, PROJECT_KEYS, where);
    String playbook = string(settings, "playbook", null, env);
    UnitCommand unit = unitCommand(settings, base, where, env);
    PackageHooks packageHooks = packageHooks(settings, entry.key(), where, env);
    String redeploy = string(settings, "redeploy", null, env);
    if (redeploy != null && !redeploy.equals("running")) {
      throw new ConfigException(settings.locationOf("redeploy"), "redeploy takes one value, running, not '" + redeploy + "'" + where);
    }
    int ways = (playbook == null ? 0 : 1) + (unit == null ? 0 : 1) + (redeploy == null ? 0 : 1);
    if (ways > 1 || ways == 0 && packageHooks == null) {
      throw new ConfigException(entry.keyLocation(), "project '" + entry.key() + "' needs one of a playbook, a unit"
          + " (UNIT/COMMAND) or redeploy: running, or a package (IPD's control.sh)");
    }
    if (settings.get("secret") != null && settings.get("hook_token") != null) {
      throw new ConfigException(settings.locationOf("secret"), "secret is the old name of hook_token; keep only hook_token" + where);
    }
    String tokenKey = settings.get("secret") != null ? "secret" : "hook_token";
    String hookToken = secret(settings, tokenKey, where, env);
    String signingSecret = secret(settings, "signing_secret", where, env);
    boolean legacy = bool(settings, "legacy_signature", where);
    if (legacy && signingSecret == null) {
      throw new ConfigException(settings.locationOf("legacy_signature"), "legacy_signature needs a signing_secret" + where);
    }
    List<String> repositories = strings(settings, "repositories", env);
    for (String repository : repositories) {
      if (!DockerNames.REPOSITORY.matcher(repository.replaceFirst("/\\*$", "")).matches()) {
        throw new ConfigException(settings.locationOf("repositories"), "'" + repository + "' is not "
            + DockerNames.REPOSITORY_HELP + where);
      }
    }
    List<String> tags = strings(settings, "tags", env);
    for (String tag : tags) {
      if (!TAG_GLOB.matcher(tag).matches()) {
        throw new ConfigException(settings.locationOf("tags"), "'" + tag + "' is not a tag pattern (tag characters and *)" + where);
      }
    }
    return new Project(entry.key(), playbook == null ? null : base.resolve(playbook), string(settings, "hosts", "all", env),
        repositories, tags.isEmpty() ? List.of("latest") : tags, hookToken, signingSecret, legacy, unit, packageHooks,
        delay(settings, where, env), strings(settings, "notify", env), redeploy != null);
  }

  private static java.time.Duration delay(YamlNode.Mapping settings, String where, Function<String, String> env) {
    String text = string(settings, "delay", null, env);
    if (text == null) {
      return java.time.Duration.ZERO;
    }
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new ConfigException(settings.locationOf("delay"), "delay is a duration (30s, 2m), not '" + text + "'" + where);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> java.time.Duration.ofMillis(n);
      case "m" -> java.time.Duration.ofMinutes(n);
      case "h" -> java.time.Duration.ofHours(n);
      default -> java.time.Duration.ofSeconds(n);
    };
  }

  private static PackageHooks packageHooks(YamlNode.Mapping settings, String project, String where, Function<String, String> env) {
    YamlNode node = settings.get("package");
    if (node == null) {
      return null;
    }
    if (!(node instanceof YamlNode.Mapping mapping)) {
      throw new ConfigException(settings.locationOf("package"), "package must be a mapping {control, dest}" + where);
    }
    checkKeys(mapping, PACKAGE_KEYS, where);
    String control = string(mapping, "control", "control.sh", env);
    String dest = string(mapping, "dest", "/opt/deployer/projects/" + project + "/package", env);
    if (!dest.startsWith("/")) {
      throw new ConfigException(mapping.locationOf("dest"), "package dest must be an absolute path on the hosts" + where);
    }
    if (control.startsWith("/") || control.contains("..")) {
      throw new ConfigException(mapping.locationOf("control"), "package control is a file in the package (control.sh)" + where);
    }
    return new PackageHooks(control, dest);
  }

  /** unit: UNIT/COMMAND, checked now against the units (units: DIR, default units/ beside this file). */
  private static UnitCommand unitCommand(YamlNode.Mapping settings, Path base, String where, Function<String, String> env) {
    String text = string(settings, "unit", null, env);
    if (text == null) {
      return null;
    }
    Path units = base.resolve(string(settings, "units", "units", env));
    try {
      dev.deployer.unit.UnitCall call = dev.deployer.unit.UnitCall.parse(text);
      dev.deployer.unit.Unit unit = call.find(dev.deployer.unit.UnitLoader.loadAll(units));
      dev.deployer.unit.UnitPlaybook.Request request = new dev.deployer.unit.UnitPlaybook.Request(unit, call.command(),
          call.variants(), Map.of(), Set.of(), false, false);
      if (request.deletes()) {
        throw new ConfigException(settings.locationOf("unit"), text + " deletes data: a hook may not run it" + where);
      }
      dev.deployer.unit.UnitPlaybook.yaml(request);
      return new UnitCommand(call, units);
    } catch (ConfigException e) {
      if (e.location() != null) {
        throw e; // it names the unit file
      }
      throw new ConfigException(settings.locationOf("unit"), e.getMessage() + where);
    }
  }

  private static String secret(YamlNode.Mapping settings, String key, String where, Function<String, String> env) {
    String value = string(settings, key, null, env);
    if (value != null && value.length() < MIN_SECRET) {
      throw new ConfigException(settings.locationOf(key), key + " needs " + MIN_SECRET
          + " characters or more" + where + "; use ${VAR} to read it from the environment");
    }
    return value;
  }

  private static void checkKeys(YamlNode.Mapping mapping, Set<String> known, String where) {
    for (YamlNode.Entry entry : mapping.entries().values()) {
      if (!known.contains(entry.key())) {
        throw new ConfigException(entry.keyLocation(), "unknown key '" + entry.key() + "'" + where
            + Suggestions.didYouMean(entry.key(), known));
      }
    }
  }

  /** IPD's own variable, when the file does not say: a server IPD ran keeps its API root and users file. */
  private static String ipd(Function<String, String> env, String name, String fallback) {
    String value = env.apply(name);
    return value != null && !value.isBlank() ? value : fallback;
  }

  private static String override(Function<String, String> env, String name, String value) {
    String fromEnv = env.apply(name);
    return fromEnv != null && !fromEnv.isBlank() ? fromEnv : value;
  }

  private static int integer(YamlNode.Mapping mapping, String key, int fallback, int min, Function<String, String> env) {
    String text = string(mapping, key, null, env);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= min) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ConfigException(mapping.locationOf(key), key + " must be a whole number of " + min + " or more, not '" + text + "'");
  }

  private static boolean bool(YamlNode.Mapping mapping, String key, String where) {
    YamlNode node = mapping.get(key);
    if (node == null) {
      return false;
    }
    if (node instanceof YamlNode.Scalar scalar && scalar.value() instanceof Boolean b) {
      return b;
    }
    throw new ConfigException(node.location(), key + " is true or false" + where);
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
