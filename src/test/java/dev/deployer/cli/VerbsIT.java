package dev.deployer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Apps;
import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config, build, deploy and healthcheck, as a user of the old deploy scripts runs them. */
class VerbsIT {
  @TempDir Path work;
  private final Testbed testbed = new Testbed();
  private final String service = "verb" + UUID.randomUUID().toString().substring(0, 6);
  private final int port = 20000 + Math.floorMod(service.hashCode(), 10000); // under the ephemeral ports
  private Path services;

  @BeforeEach
  void writeServices() throws IOException {
    Path app = work.resolve("hello");
    Files.createDirectories(app);
    try (Stream<Path> files = Files.list(testbed.projectDir().resolve("playbooks/apps/hello"))) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, app.resolve(file.getFileName()));
      }
    }
    services = work.resolve("services.yml");
    Files.writeString(services, """
        docker: {version: ">=20.10"}
        services:
          %1$s:
            build: hello
            tag: "1"
            build_args: {BASE: "{{base_image}}", APP_VERSION: "{{item.tag}}"}
            ports: ["%2$d:8080"]
            health:
              http: {url: "http://127.0.0.1:%2$d/", match: "version"}
        """.formatted(service, port));
  }

  @AfterEach
  void removeContainers() {
    for (String host : List.of("h1", "h2", "h3")) {
      testbed.status(host, "docker", "rm", "-f", service);
    }
  }

  private Result verb(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"-i", testbed.inventory().toString(), "--services", services.toString()}, 0, all,
        args.length, 4);
    return Testbed.deployer(all);
  }

  @Test
  void configBuildDeployHealthcheck() {
    Result config = verb("config", "h1");
    assertEquals(0, config.exitCode(), config.toString());
    assertTrue(config.out().contains("satisfies >=20.10 [storage overlay2"), config.out());

    Result build = verb("build", "web", service);
    assertEquals(0, build.exitCode(), build.toString());
    assertTrue(build.out().contains("changed: [h3] " + service + ": built " + service + ":1"), build.out());

    Result deploy = verb("deploy", "web", service);
    assertEquals(0, deploy.exitCode(), deploy.toString());
    for (String host : List.of("h1", "h2", "h3")) {
      assertEquals("<h1>Hello from deployer</h1><p>version 1</p>",
          Apps.get(testbed.address(host), port).lines().filter(l -> l.contains("version")).findFirst().orElse("").trim()
              .replaceAll("^\\s*<body>|</body>$", ""));
    }
    // Nothing changed: deploying again builds nothing and swaps nothing.
    Result again = verb("deploy", "web", service);
    assertTrue(again.out().contains("h1 : ok=3 changed=0"), again.out());

    Result upgrade = verb("deploy", "web:!h3", service, "--tag", "2");
    assertEquals(0, upgrade.exitCode(), upgrade.toString());
    assertTrue(Apps.get(testbed.address("h1"), port).contains("version 2"));
    assertTrue(Apps.get(testbed.address("h3"), port).contains("version 1"));

    Result health = verb("healthcheck", "web", service, "--restart");
    assertEquals(0, health.exitCode(), health.toString());
    assertTrue(health.out().contains(service + ": 1 container(s)\n    " + service + ": running, healthy"), health.out());
  }

  @Test
  void aServiceBehindTheProxyIsDeployedByTheVerbs() throws IOException {
    int proxyPort = port + 1;
    String proxied = service + "p";
    Files.writeString(services, Files.readString(services) + """
          %1$s:
            build: hello
            tag: "1"
            build_args: {BASE: "{{base_image}}", APP_VERSION: "{{item.tag}}"}
            proxy: {port: %2$d, app_port: 8080, image: "{{proxy_image}}"}
        """.formatted(proxied, proxyPort));
    try {
      Result deploy = verb("deploy", "h3", proxied);
      assertEquals(0, deploy.exitCode(), deploy.toString());
      assertTrue(Apps.get(testbed.address("h3"), proxyPort).contains("version 1"));
      Result upgrade = verb("deploy", "h3", proxied, "--tag", "2");
      assertEquals(0, upgrade.exitCode(), upgrade.toString());
      assertTrue(upgrade.out().contains(":" + proxyPort + " switched"), upgrade.out());
      assertTrue(Apps.get(testbed.address("h3"), proxyPort).contains("version 2"));
      Result health = verb("healthcheck", "h3", proxied);
      assertEquals(0, health.exitCode(), health.toString());
    } finally {
      testbed.status("h3", "docker", "rm", "-f", proxied);
    }
  }

  @Test
  void aBareAddressNeedsNoInventory() {
    Result health = Testbed.deployer("healthcheck", testbed.address("h2"), "--user", "root",
        "--key", testbed.dir().resolve("id_ed25519").toString(), "--known-hosts", testbed.knownHosts().toString(),
        "--services", services.toString());
    assertEquals(0, health.exitCode(), health.toString());
    assertTrue(health.out().contains("ok: [" + testbed.address("h2") + "]"), health.out());
  }

  @Test
  void anUnknownServiceIsAUsageError() {
    Result deploy = verb("deploy", "web", "helo");
    assertEquals(1, deploy.exitCode(), deploy.toString());
    assertTrue(deploy.err().contains("no service 'helo' in the services file"), deploy.err());
  }
}
