package dev.deployer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.yaml.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
  @TempDir Path dir;

  @Test
  void readsProjectsSecretsFromTheEnvironmentAndEnvOverrides() throws IOException {
    Path file = dir.resolve("server.yml");
    Files.writeString(file, """
        listen: 127.0.0.1:9955
        inventory: hosts.yml
        projects:
          portfolio:
            playbook: playbooks/deploy.yml
            hosts: web
            repositories: ["notarock/portfolio-ng"]
            tags: ["latest", "v*"]
            secret: "${HOOK_SECRET}"
        """);
    Map<String, String> env = Map.of("HOOK_SECRET", "0123456789abcdef0123", "DEPLOYER_API_ROOT", "/api");
    ServerConfig config = ServerConfig.load(file, env::get);
    assertEquals("/api", config.apiRoot());
    assertEquals(9955, config.listenPort());
    assertEquals(dir.resolve("hosts.yml"), config.inventory());
    ServerConfig.Project project = config.projects().get("portfolio");
    assertEquals("0123456789abcdef0123", project.hookToken(), "secret is read as hook_token");
    assertEquals(null, project.signingSecret());
    assertEquals(ServerConfig.DOCKER_HUB_CALLBACK_HOSTS, config.callbackHosts());
    assertEquals(List.of(), config.trustedProxies());
    assertEquals(3, config.keepUploads());
    assertEquals(List.of("notarock/portfolio-ng"), project.repositories());
    assertTrue(project.acceptsTag("v1.2"));
    assertTrue(project.acceptsTag("latest"));
    assertFalse(project.acceptsTag("dev"));
  }

  @Test
  void theStoreIsSqliteUnlessAPostgresqlUrlIsGiven() throws IOException {
    Path file = dir.resolve("server.yml");
    Files.writeString(file, "store: sqlite\nprojects: {}\n");
    assertEquals(null, ServerConfig.load(file, name -> null).store());
    Files.writeString(file, "store: \"postgresql://deployer:${PGPASSWORD}@db:5432/deployer\"\nprojects: {}\n");
    assertEquals("postgresql://deployer:s3cret@db:5432/deployer", ServerConfig.load(file, Map.of("PGPASSWORD", "s3cret")::get).store());
    Files.writeString(file, "projects: {}\nstore: mysql://db/deployer\n");
    var error = assertThrows(dev.deployer.yaml.ConfigException.class, () -> ServerConfig.load(file, name -> null));
    assertTrue(error.getMessage().contains("server.yml:2") && error.getMessage().contains("store must be sqlite or postgresql://"),
        error.getMessage());
  }

  /** The login leaves the URL, so a URL in a log or an error carries no password. */
  @Test
  void aPostgresqlStoreBecomesAJdbcUrlAndALogin() throws java.sql.SQLException {
    java.util.Properties login = new java.util.Properties();
    assertEquals("jdbc:postgresql://db:5433/deploy?sslmode=require",
        Database.jdbcUrl("postgresql://u%40x:p%3Ass@db:5433/deploy?sslmode=require", login));
    assertEquals("u@x", login.getProperty("user"));
    assertEquals("p:ss", login.getProperty("password"));
  }

  @Test
  void aProjectMayRunAUnitCommandButNeverOneThatDeletesData() throws IOException {
    Files.createDirectories(dir.resolve("units"));
    Files.writeString(dir.resolve("units/app.yml"), "containers:\n  app: {image: \"{{image}}\"}\n");
    Path file = dir.resolve("server.yml");
    Files.writeString(file, "projects:\n  p:\n    unit: app/upgrade\n    repositories: [example/app]\n");
    ServerConfig.Project project = ServerConfig.load(file, name -> null).projects().get("p");
    assertEquals("upgrade", project.unit().call().command());
    assertEquals(dir.resolve("units"), project.unit().units());

    Files.writeString(file, "projects:\n  p:\n    unit: app/purge\n");
    ConfigException purge = assertThrows(ConfigException.class, () -> ServerConfig.load(file, name -> null));
    assertEquals(file + ":3: app/purge deletes data: a hook may not run it in project 'p'", purge.getMessage());
    Files.writeString(file, "projects:\n  p:\n    unit: ap/upgrade\n");
    ConfigException unknown = assertThrows(ConfigException.class, () -> ServerConfig.load(file, name -> null));
    assertTrue(unknown.getMessage().startsWith(file + ":3: no unit 'ap' (did you mean 'app'?)"), unknown.getMessage());
    Files.writeString(file, "projects:\n  p:\n    unit: app/upgrade\n    playbook: a.yml\n");
    ConfigException both = assertThrows(ConfigException.class, () -> ServerConfig.load(file, name -> null));
    assertTrue(both.getMessage().contains("needs one of a playbook, a unit (UNIT/COMMAND) or redeploy: running"), both.getMessage());
  }

  @Test
  void aPackageProjectNeedsNoPlaybook() throws IOException {
    Path file = dir.resolve("server.yml");
    Files.writeString(file, "projects:\n  ipd:\n    package: {}\n");
    ServerConfig.Project project = ServerConfig.load(file, name -> null).projects().get("ipd");
    assertEquals(new ServerConfig.PackageHooks("control.sh", "/opt/deployer/projects/ipd/package"), project.packageHooks());
    Files.writeString(file, "projects:\n  ipd:\n    package: {control: ../x.sh}\n");
    ConfigException outside = assertThrows(ConfigException.class, () -> ServerConfig.load(file, name -> null));
    assertTrue(outside.getMessage().startsWith(file + ":3: package control is a file in the package"), outside.getMessage());
  }

  @Test
  void ipdsVariablesStandInWhereTheFileIsSilent() throws IOException {
    Path conf = dir.resolve("ipd.conf");
    Files.writeString(conf, "# IPD\nexport API_ROOT=/ipd\nAUTH_DB=\"/opt/ipd/users.txt\"\nLOG_DIR=.\n");
    Map<String, String> ipd = IpdConf.read(conf);
    assertEquals(Map.of("API_ROOT", "/ipd", "AUTH_DB", "/opt/ipd/users.txt", "LOG_DIR", "."), ipd);
    Path file = dir.resolve("server.yml");
    Files.writeString(file, "projects:\n  ipd:\n    package: {}\n");
    ServerConfig config = ServerConfig.load(file, ipd::get);
    assertEquals("/ipd", config.apiRoot());
    assertEquals(Path.of("/opt/ipd/users.txt"), config.usersFile());
    assertEquals(dir.resolve("."), config.logsDir(), "LOG_DIR=. as IPD's default");
    assertEquals(dir.resolve("data/uploads"), config.uploadsDir(), "no UPLOAD_DIR: under data_dir");
    Files.writeString(file, "api_root: /deploy\nprojects:\n  ipd:\n    package: {}\n");
    assertEquals("/deploy", ServerConfig.load(file, ipd::get).apiRoot(), "the file wins over IPD's variables");
  }

  @Test
  void delayAndNotifyAreReadAndANotifyHostMustBeAllowed() throws IOException {
    Path file = dir.resolve("server.yml");
    Files.writeString(file, """
        callback_hosts: ["hooks.example.com"]
        projects:
          staging: {playbook: a.yml, delay: 2m, notify: ["https://hooks.example.com/deploys"]}
          production: {playbook: a.yml}
        """);
    ServerConfig config = ServerConfig.load(file, name -> null);
    assertEquals(java.time.Duration.ofMinutes(2), config.projects().get("staging").delay());
    assertEquals(List.of("https://hooks.example.com/deploys"), config.projects().get("staging").notifyUrls());
    assertEquals(java.time.Duration.ZERO, config.projects().get("production").delay());
    Files.writeString(file, "projects:\n  p: {playbook: a.yml, notify: [\"http://10.0.0.1/x\"]}\n");
    ConfigException host = assertThrows(ConfigException.class, () -> ServerConfig.load(file, name -> null));
    assertTrue(host.getMessage().contains("project 'p' notifies http://10.0.0.1/x: host 10.0.0.1 is not in callback_hosts"),
        host.getMessage());
    Files.writeString(file, "projects:\n  p: {playbook: a.yml, delay: soon}\n");
    ConfigException delay = assertThrows(ConfigException.class, () -> ServerConfig.load(file, name -> null));
    assertTrue(delay.getMessage().contains("delay is a duration (30s, 2m), not 'soon'"), delay.getMessage());
  }

  @Test
  void redeployRunningNeedsNoPlaybookAndAnOwnersRepositoriesMatchByGlob() throws IOException {
    Path file = dir.resolve("server.yml");
    Files.writeString(file, "projects:\n  all: {redeploy: running, repositories: [\"acme/*\"]}\n");
    ServerConfig.Project project = ServerConfig.load(file, name -> null).projects().get("all");
    assertTrue(project.redeployRunning());
    assertTrue(project.acceptsRepository("acme/web"));
    assertFalse(project.acceptsRepository("acme/team/web"), "one level under the owner, as Docker Hub's repositories are");
    assertFalse(project.acceptsRepository("acmeish/web"));
    Files.writeString(file, "projects:\n  all: {redeploy: everything}\n");
    assertThrows(ConfigException.class, () -> ServerConfig.load(file, name -> null));
  }

  @Test
  void aMissingSecretVariableIsNamed() throws IOException {
    Path file = dir.resolve("server.yml");
    Files.writeString(file, "projects:\n  p:\n    playbook: a.yml\n    secret: \"${NOPE}\"\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.load(file, name -> null));
    assertEquals(file + ":4: environment variable NOPE is not set", e.getMessage());
  }

  @Test
  void aShortSecretIsRefused() throws IOException {
    Path file = dir.resolve("server.yml");
    Files.writeString(file, "projects:\n  p:\n    playbook: a.yml\n    secret: short\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.load(file, name -> null));
    assertEquals(file + ":4: secret needs 16 characters or more in project 'p'; use ${VAR} to read it from the environment", e.getMessage());
  }

  @Test
  void newSettingsAreReadAndCheckedWhereTheyAreWritten() throws IOException {
    Path file = dir.resolve("server.yml");
    Files.writeString(file, """
        trusted_proxies: [127.0.0.1, "10.0.0.0/8"]
        callback_hosts: ["registry.hub.docker.com", "127.0.0.1:8080"]
        keep_uploads: 5
        keep_days: 30
        uploads_per_hour: 4
        projects:
          p:
            playbook: a.yml
            repositories: [example/app]
            hook_token: "0123456789abcdef-a"
            signing_secret: "whsec_MDEyMzQ1Njc4OWFiY2RlZg=="
            legacy_signature: true
        """);
    ServerConfig config = ServerConfig.load(file, name -> null);
    assertEquals(2, config.trustedProxies().size());
    assertEquals(List.of("registry.hub.docker.com", "127.0.0.1:8080"), config.callbackHosts());
    assertEquals(5, config.keepUploads());
    assertEquals(30, config.keepDays());
    assertEquals(4, config.uploadsPerHour());
    assertTrue(config.projects().get("p").legacySignature());

    assertEquals(file + ":1: trusted_proxies: 'nope' is not an IP address or CIDR block",
        refused(file, "trusted_proxies: [nope]\n"));
    assertEquals(file + ":1: keep_days must be a whole number of 1 or more, not 'soon'", refused(file, "keep_days: soon\n"));
    assertEquals(file + ":4: legacy_signature needs a signing_secret in project 'p'",
        refused(file, "projects:\n  p:\n    playbook: a.yml\n    legacy_signature: true\n"));
    assertEquals(file + ":4: 'Bad/Repo' is not a repository name (registry/name, lowercase, no tag) in project 'p'",
        refused(file, "projects:\n  p:\n    playbook: a.yml\n    repositories: [Bad/Repo]\n"));
    assertEquals(file + ":5: secret is the old name of hook_token; keep only hook_token in project 'p'",
        refused(file, "projects:\n  p:\n    playbook: a.yml\n    hook_token: 0123456789abcdef0\n    secret: 0123456789abcdef0\n"));
  }

  private String refused(Path file, String yaml) throws IOException {
    Files.writeString(file, yaml);
    return assertThrows(ConfigException.class, () -> ServerConfig.load(file, name -> null)).getMessage();
  }

  @Test
  void theExampleConfigLoads() {
    Map<String, String> env = Map.of("PORTFOLIO_HOOK_TOKEN", "0123456789abcdef-token", "PORTFOLIO_SIGNING_SECRET",
        "whsec_MDEyMzQ1Njc4OWFiY2RlZg==");
    ServerConfig config = ServerConfig.load(Path.of("server.example.yml"), env::get);
    assertEquals(1, config.trustedProxies().size());
    assertEquals("0123456789abcdef-token", config.projects().get("portfolio").hookToken());
  }
}
