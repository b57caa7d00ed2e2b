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
    assertEquals("0123456789abcdef0123", project.secret());
    assertEquals(List.of("notarock/portfolio-ng"), project.repositories());
    assertTrue(project.acceptsTag("v1.2"));
    assertTrue(project.acceptsTag("latest"));
    assertFalse(project.acceptsTag("dev"));
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
    assertTrue(e.getMessage().contains("needs a secret of 16 characters or more"), e.getMessage());
  }
}
