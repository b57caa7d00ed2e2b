package dev.deployer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.task.TaskTypes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a user sees when the input is wrong: one line, file and line, exit 1, no host touched. */
class PlayCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path inventory() throws IOException {
    Path file = dir.resolve("hosts.yml");
    // An address nothing listens on: any attempt to connect would show up as "unreachable".
    Files.writeString(file, "all:\n  hosts:\n    web1: {ansible_host: 127.0.0.1, ansible_port: 1}\n");
    return file;
  }

  private Path playbook(String yaml) throws IOException {
    Path file = dir.resolve("play.yml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void inventoryListShowsAnIniInventoryResolvedWithSecretsMasked() throws IOException {
    Path ini = dir.resolve("hosts.ini");
    Files.writeString(ini, """
        [web]
        web[1:2] ansible_host=127.0.0.1 db_password=hunter2

        [prod:children]
        web

        [prod:vars]
        ansible_become_pass=sudo-secret
        ansible_ssh_private_key_file=keys/prod
        """);
    assertEquals(0, run("inventory", "--list", "-i", ini.toString()), err.toString());
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
    assertEquals("[\"web1\",\"web2\"]", json.get("prod").get("hosts").toString());
    assertEquals("[\"web\"]", json.get("prod").get("children").toString());
    var web2 = json.get("_meta").get("hostvars").get("web2");
    assertEquals("********", web2.get("db_password").asText());
    assertEquals("********", web2.get("ansible_become_pass").asText());
    assertEquals("keys/prod", web2.get("ansible_ssh_private_key_file").asText());
    assertEquals("[\"prod\",\"web\"]", web2.get("group_names").toString());
    assertTrue(!out.toString().contains("hunter2") && !out.toString().contains("sudo-secret"), out.toString());
  }

  @Test
  void badYamlIsOneLineWithFileAndLine() throws IOException {
    Path book = playbook("- hosts: all\n  tasks:\n    - command: [unclosed\n");
    assertEquals(1, run("play", book.toString(), "-i", inventory().toString()));
    assertTrue(err.toString().startsWith("error: " + book + ":"), err.toString());
    assertTrue(err.toString().contains("YAML syntax error"), err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
  }

  @Test
  void unknownTaskIsOneLineWithFileAndLine() throws IOException {
    Path book = playbook("- hosts: all\n  tasks:\n    - docker_buidl: {context: /a, image: b}\n");
    assertEquals(1, run("play", book.toString(), "-i", inventory().toString()));
    assertTrue(err.toString().startsWith("error: " + book + ":3: unknown task type 'docker_buidl' (did you mean 'docker_build'?)"),
        err.toString());
    assertEquals(1, err.toString().lines().count());
  }

  @Test
  void missingVariableNamesItFileAndLine() throws IOException {
    Path book = playbook("- hosts: all\n  tasks:\n    - command: \"echo {{app_version}}\"\n");
    assertEquals(2, run("play", book.toString(), "-i", inventory().toString()));
    assertTrue(out.toString().contains("failed: [web1] " + book + ":3: variable 'app_version' is not defined (in command.cmd)"),
        out.toString());
  }

  @Test
  void unknownLimitIsAUsageError() throws IOException {
    Path book = playbook("- hosts: all\n  tasks: []\n");
    assertEquals(1, run("play", book.toString(), "-i", inventory().toString(), "--limit", "web2"));
    assertTrue(err.toString().contains("no host or group 'web2'"), err.toString());
  }

  @Test
  void listHostsTouchesNoHost() throws IOException {
    Path book = playbook("- name: Deploy\n  hosts: all\n  tasks: []\n");
    assertEquals(0, run("play", book.toString(), "-i", inventory().toString(), "--list-hosts"));
    assertTrue(out.toString().contains("play [Deploy] (1 hosts):"), out.toString());
  }

  @Test
  void unreachableHostExitsThree() throws IOException {
    Path book = playbook("- hosts: all\n  tasks:\n    - command: \"true\"\n");
    Path report = dir.resolve("report.json");
    assertEquals(3, run("play", book.toString(), "-i", inventory().toString(), "--connect-timeout", "2",
        "--report-json", report.toString()));
    assertTrue(out.toString().contains("unreachable: [web1] cannot connect to web1 (127.0.0.1:1)"), out.toString());
    String json = Files.readString(report);
    assertTrue(json.contains("\"unreachable\" : 1"), json);
  }

  @Test
  void syntaxCheckNamesFileLineAndSuggestsWithoutContactingAHost() throws IOException {
    Path pul = playbook("- hosts: all\n  tasks:\n    - name: Pull\n      docker_image: {action: pul, image: x}\n");
    assertEquals(1, run("play", pul.toString(), "--syntax-check", "-i", inventory().toString()));
    assertEquals("error: " + pul + ":4: docker_image.action must be one of pull, load, tag, remove, commit, push, not 'pul'"
        + " (did you mean 'pull'?)", err.toString().strip());

    Path badName = playbook("- hosts: all\n  tasks:\n    - swap_container: {name: \"bad name!\", image: x}\n");
    assertEquals(1, run("play", badName.toString(), "--syntax-check", "-i", inventory().toString()));
    assertTrue(err.toString().contains(badName + ":3: swap_container.name: 'bad name!' is not a valid container name"),
        err.toString());

    Path keep = playbook("- hosts: all\n  tasks:\n    - swap_container:\n        name: web\n        image: x\n        keep: -1\n");
    assertEquals(1, run("play", keep.toString(), "--syntax-check", "-i", inventory().toString()));
    assertTrue(err.toString().contains(keep + ":6: swap_container.keep must be 0 or more, not -1"), err.toString());
    assertEquals("", out.toString(), "nothing ran");
  }

  @Test
  void syntaxCheckChecksArgumentsThatInvolveSeveral() throws IOException {
    Path tag = playbook("- hosts: all\n  tasks:\n    - docker_image: {action: tag, image: app:2}\n");
    assertEquals(1, run("play", tag.toString(), "--syntax-check", "-i", inventory().toString()));
    assertTrue(err.toString().contains(":3: docker_image.source is required to tag"), err.toString());
  }

  @Test
  void syntaxCheckPassesEveryCheckedInPlaybook() throws IOException {
    Path playbooks = Path.of(System.getProperty("user.dir"), "playbooks");
    Path inventory = playbooks.resolveSibling("inventory.example.yml");
    List<Path> books;
    try (var files = Files.walk(playbooks)) {
      books = files.filter(f -> f.toString().endsWith(".yml") && !f.getFileName().toString().equals("services.yml"))
          .filter(f -> !f.getParent().getFileName().toString().equals("units")).toList();
    }
    assertTrue(books.size() >= 8, books.toString());
    for (Path book : books) {
      assertEquals(0, run("play", book.toString(), "--syntax-check", "-i", inventory.toString()), book + ": " + err);
    }
    // The example inventory's addresses (192.0.2.x) are never reached: a connection attempt would take seconds.
    assertTrue(out.toString().contains("no problems found"), out.toString());
  }

  @Test
  void helpListsEveryTaskTypeFromItsDeclaration() {
    assertEquals(0, run("play", "--help"));
    for (String type : TaskTypes.builtin().names()) {
      assertTrue(out.toString().contains("  " + type + ": "), type + " missing from play --help");
    }
    assertTrue(out.toString().contains("action: what to do (default: pull) [pull|load|tag|remove|commit|push]"), out.toString());
  }

  @Test
  void extraVarsFromAFileAreVariablesNotArguments() throws IOException {
    Path book = playbook("- hosts: all\n  tasks:\n    - command: \"echo {{color}}\"\n");
    Path yaml = dir.resolve("vars.yml");
    Files.writeString(yaml, "color: red\n");
    Path json = dir.resolve("vars.json");
    Files.writeString(json, "{\"color\": \"--help\"}");
    for (Path vars : List.of(yaml, json)) {
      // Rendered, then the unreachable host: 3. Unread, the variable would be missing: 2.
      assertEquals(3, run("play", book.toString(), "-i", inventory().toString(), "--connect-timeout", "2", "-e", "@" + vars));
    }
    assertTrue(!out.toString().contains("Usage:"), out.toString());
  }

  @Test
  void helpAndVersion() {
    assertEquals(0, run("play", "--help"));
    assertTrue(out.toString().contains("--check"));
    assertTrue(out.toString().contains("{{=<% %>=}}"));
    assertEquals(0, run("--version"));
    assertTrue(out.toString().contains("deployer "));
  }

  @Test
  void extraVars() throws IOException {
    Path file = dir.resolve("extra.yml");
    Files.writeString(file, "a: 1\nb: two\n");
    var vars = ExtraVars.parse(java.util.List.of("x=1=2", "@" + file, "{\"c\": [1, 2]}", "b=three words"));
    assertEquals("1=2", vars.get("x"));
    assertEquals(1, ((Number) vars.get("a")).intValue());
    assertEquals("three words", vars.get("b"));
    assertEquals(java.util.List.of(1, 2), vars.get("c"));
  }

  @Test
  void badHostKeyModeIsAUsageError() throws IOException {
    Path book = playbook("- hosts: all\n  tasks: []\n");
    assertEquals(1, run("play", book.toString(), "-i", inventory().toString(), "--host-key-checking", "maybe"));
    assertTrue(err.toString().contains("unknown host key checking 'maybe'"), err.toString());
  }
}
