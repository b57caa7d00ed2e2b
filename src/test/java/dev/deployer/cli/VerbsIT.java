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

  /** The seed's way: a host's address and SSH settings on the command line, no inventory. */
  private Result bare(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--user", "root", "--key", testbed.dir().resolve("id_ed25519").toString(),
        "--known-hosts", testbed.knownHosts().toString()));
    return Testbed.deployer(all.toArray(String[]::new));
  }

  @Test
  void configNeedsNoServicesFileOnABareAddress() {
    String address = testbed.address("h2");
    Result config = bare("config", address, "--docker-version", ">=20.10", "--install", "none");
    assertEquals(0, config.exitCode(), config.toString());
    assertTrue(config.out().contains("Target " + address + ": bare address, ssh root@" + address), config.out());
    assertTrue(config.out().matches("(?s).*ok: \\[" + address.replace(".", "\\.") + "\\] Docker \\S+ satisfies >=20\\.10 "
        + "\\[storage [a-z0-9]+, cgroup v[12], root /[^,]+, [0-9]+ GiB free].*"), config.out());
    Result tooOld = bare("config", address, "--docker-version", ">=99", "--install", "none");
    assertEquals(2, tooOld.exitCode(), tooOld.toString());
    assertTrue(tooOld.out().contains("does not satisfy >=99, and install is none"), tooOld.out());
  }

  @Test
  void aBareAddressIsDeployedRolledBackAndShowsItsHistory() {
    String address = testbed.address("h2");
    // No inventory, so none of its variables: the one the services file reads comes with -e.
    String[] services = {"--services", this.services.toString(), "-e", "base_image=testbed/base:1"};
    Result deploy = bare(concat(new String[] {"deploy", address, service}, services));
    assertEquals(0, deploy.exitCode(), deploy.toString());
    assertTrue(deploy.out().contains("Target " + address + ": bare address"), deploy.out());
    Result upgrade = bare(concat(new String[] {"deploy", address, service, "--tag", "2"}, services));
    assertEquals(0, upgrade.exitCode(), upgrade.toString());
    assertTrue(Apps.get(address, port).contains("version 2"));

    Result history = bare("history", address, service);
    assertEquals(0, history.exitCode(), history.toString());
    assertTrue(history.out().contains("Target " + address + ": bare address"), history.out());
    assertTrue(history.out().indexOf(service + ":2") < history.out().indexOf(service + ":1")
        && history.out().contains(service + ":1"), "both releases, newest first: " + history.out());

    Result rollback = bare("rollback", address, service);
    assertEquals(0, rollback.exitCode(), rollback.toString());
    assertTrue(Apps.get(address, port).contains("version 1"), "rolled back to the release before");
    Result health = bare(concat(new String[] {"healthcheck", address, service}, services));
    assertEquals(0, health.exitCode(), health.toString());
  }

  /** The seed's healthcheck: a container without a HEALTHCHECK that exited with code 1 is a problem. */
  @Test
  void healthcheckRestartsAContainerThatExitedWithAnErrorAndHasNoHealthcheck() throws IOException {
    String crashed = service + "x";
    Files.writeString(services, Files.readString(services) + """
          %s:
            image: "testbed/base:1"
        """.formatted(crashed));
    try {
      // Fails on its first run only: a restart brings it back.
      testbed.docker("h1", "run", "-d", "--name", crashed, "testbed/base:1", "sh", "-c",
          "if [ -f /ran ]; then exec sleep 3600; fi; touch /ran; exit 1");
      Testbed.waitUntil(crashed + " exits", java.time.Duration.ofSeconds(30),
          () -> testbed.docker("h1", "inspect", "-f", "{{.State.Status}}", crashed).equals("exited"));

      Result every = verb("healthcheck", "h1");
      assertEquals(2, every.exitCode(), every.toString());
      assertTrue(every.out().contains(crashed + ": exited (code 1)"), every.out());
      assertTrue(every.out().matches("(?s).*failed: \\[h1\\] failing: [^\n]*" + crashed + ".*"), every.out());

      Result restarted = verb("healthcheck", "h1", crashed, "--restart");
      assertEquals(0, restarted.exitCode(), restarted.toString());
      assertTrue(restarted.out().contains("restarted " + crashed), restarted.out());
      assertEquals("running", testbed.docker("h1", "inspect", "-f", "{{.State.Status}}", crashed));
      Result after = verb("healthcheck", "h1", crashed);
      assertEquals(0, after.exitCode(), after.toString());
    } finally {
      testbed.status("h1", "docker", "rm", "-f", crashed);
    }
  }

  /** No SERVICE builds every service; the report shows what was built, -v its build log. */
  @Test
  void buildWithoutAServiceBuildsEveryOneAndShowsTheImage() throws IOException {
    String second = service + "b";
    Files.writeString(services, Files.readString(services) + """
          %s:
            build: hello
            tag: "1"
            build_args: {BASE: "{{base_image}}", APP_VERSION: "b"}
        """.formatted(second));
    try {
      Result build = verb("build", "h2");
      assertEquals(0, build.exitCode(), build.toString());
      for (String name : List.of(service, second)) {
        assertTrue(build.out().matches("(?s).*changed: \\[h2\\] " + name + ": built " + name + ":1 in [0-9.]+s \\(image not present\\)"
            + "\n +image [0-9a-f]{12}, [0-9.]+ [kM]B, created 20[0-9-]+T[0-9:]+Z\n +labels deployer\\.build-hash=[0-9a-f]{64}.*"),
            build.out());
      }
      Result verbose = verb("build", "h2", second, "--tag", "2", "-v");
      assertEquals(0, verbose.exitCode(), verbose.toString());
      // BuildKit's plain log names each step "[1/3] FROM ...".
      assertTrue(verbose.out().matches("(?s).*\\[1/\\d+\\] FROM .*"), "-v shows docker build's log: " + verbose.out());
    } finally {
      testbed.status("h2", "docker", "image", "rm", service + ":1", second + ":1", second + ":2");
    }
  }

  private static String[] concat(String[] first, String[] second) {
    return Stream.concat(Stream.of(first), Stream.of(second)).toArray(String[]::new);
  }

  @Test
  void anUnknownServiceIsAUsageError() {
    Result deploy = verb("deploy", "web", "helo");
    assertEquals(1, deploy.exitCode(), deploy.toString());
    assertTrue(deploy.err().contains("no service 'helo' in the services file"), deploy.err());
  }
}
