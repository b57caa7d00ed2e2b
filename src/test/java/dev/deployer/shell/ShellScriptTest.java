package dev.deployer.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.inventory.InventoryLoader;
import dev.deployer.ssh.UnreachableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell's commands that need no host: what they print and the exit codes a script sees. */
class ShellScriptTest {
  @TempDir Path dir;
  private Shell shell;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void inventory() throws IOException {
    Path file = dir.resolve("hosts.yml");
    Files.writeString(file, """
        all:
          vars:
            registry_password: hunter2
            ansible_ssh_private_key_file: /keys/deploy
          children:
            web:
              hosts:
                web1: {ansible_host: 192.0.2.10, app_port: 8080}
                web2: {ansible_host: 192.0.2.11}
            db:
              hosts:
                db1: {ansible_host: 192.0.2.20, db: {user: app, password: s3cret}}
        """);
    // Nothing here may connect: a command that tried would fail loudly.
    shell = new Shell(InventoryLoader.load(file), null,
        new Shell.Settings(5, false, false, Map.of(), false, dir.resolve("services.yml"), dir.resolve("units")), host -> {
          throw new UnreachableException("test: no connections");
        });
  }

  private int run(String script) throws IOException {
    return shell.runScript(new BufferedReader(new StringReader(script)), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void useNarrowsTheHosts() throws IOException {
    assertEquals(0, run("use web:!web2"));
    assertEquals("1 host: web1\n", out.toString());
  }

  @Test
  void aPatternThatSelectsNothingIsRefusedAndTheLastCodeIsTheExitCode() throws IOException {
    assertEquals(1, run("use nosuch"));
    assertTrue(err.toString().startsWith("error: "), err.toString());
    assertEquals(0, run("use nosuch; use db"), "the last command's code");
  }

  @Test
  void varsMasksSecrets() throws IOException {
    assertEquals(0, run("vars db1"));
    String shown = out.toString();
    assertTrue(shown.contains("registry_password: ********"), shown);
    assertTrue(shown.contains("db: {user=app, password=********}"), shown);
    assertTrue(shown.contains("ansible_ssh_private_key_file: /keys/deploy"), "a key's path is not a secret: " + shown);
    assertFalse(shown.contains("hunter2") || shown.contains("s3cret"), shown);
  }

  @Test
  void varsWithoutAHostNeedsExactlyOne() throws IOException {
    assertEquals(1, run("vars"));
    assertTrue(err.toString().contains("vars needs a HOST: 3 hosts are in use"), err.toString());
    assertEquals(0, run("use web2; vars"));
    assertTrue(out.toString().contains("web2:\n"), out.toString());
  }

  @Test
  void unitListsPrintsAndAsksBeforeDeleting() throws IOException {
    Files.createDirectories(dir.resolve("units"));
    Files.writeString(dir.resolve("units/notes.yml"), """
        hosts: web
        params: [{name: port, default: "8080"}]
        containers:
          notes: {image: example/notes:1, volumes: ["notes-data:/data"], ports: ["{{port}}:80"]}
        """);
    assertEquals(0, run("unit list"));
    assertTrue(out.toString().contains("  notes/purge  (generated)"), out.toString());
    assertEquals(0, run("unit print notes/start --port 9090"));
    assertTrue(out.toString().contains("port: \"9090\""), out.toString());
    assertEquals(1, run("unit notes/purge"));
    assertTrue(err.toString().contains("notes/purge deletes the containers, volumes and images of unit notes on its hosts: add --yes"),
        err.toString());
    assertEquals(1, run("unit notes/start --prot 1"));
    assertTrue(err.toString().contains("notes/start has no option --prot (did you mean 'port'?)"), err.toString());
  }

  @Test
  void unknownCommandsAndTaskTypesGetSuggestions() throws IOException {
    assertEquals(1, run("pss"));
    assertTrue(err.toString().contains("no command 'pss' (did you mean 'ps'?)"), err.toString());
    assertEquals(1, run("run swap_contianer name=a image=b"));
    assertTrue(err.toString().contains("no task type 'swap_contianer' (did you mean 'swap_container'?)"), err.toString());
  }

  @Test
  void adHocArgumentsAreCheckedAsAPlaybooksAre() throws IOException {
    assertEquals(1, run("run swap_container name=a imgae=b"));
    assertTrue(err.toString().contains("unknown argument 'imgae' for swap_container (did you mean 'image'?)"), err.toString());
    assertEquals(1, run("run swap_container name=a"));
    assertTrue(err.toString().contains("swap_container needs 'image'"), err.toString());
    assertEquals(1, run("check docker_image action=pul image=x"));
    assertTrue(err.toString().contains("docker_image.action must be one of pull, load, tag, remove, commit, push, not 'pul' (did you mean 'pull'?)"),
        err.toString());
  }

  @Test
  void helpRunListsEveryTaskTypeFromItsDeclaration() throws IOException {
    assertEquals(0, run("help run"));
    for (String type : dev.deployer.task.TaskTypes.builtin().names()) {
      assertTrue(out.toString().contains("  " + type + ": "), type + " missing from:\n" + out);
    }
  }

  @Test
  void helpListsEveryCommandAndShowsOne() throws IOException {
    assertEquals(0, run("help"));
    for (String command : new String[] {"hosts", "use", "run", "check", "play", "deploy", "rollback", "health", "ps",
        "logs", "vars", "history", "help", "exit"}) {
      assertTrue(out.toString().contains("\n  " + command + " "), command + " missing from:\n" + out);
    }
    assertEquals(0, run("help logs"));
    assertTrue(out.toString().contains("--tail"), out.toString());
  }

  @Test
  void historyListsTheLinesSoFarAndExitStops() throws IOException {
    assertEquals(0, run("use web\nhistory\nexit\nuse db"));
    assertTrue(out.toString().contains("    1  use web\n    2  history\n"), out.toString());
    assertFalse(out.toString().contains("1 host: db1"), "nothing after exit runs");
  }

  @Test
  void deployWithoutAServicesFileNeedsAVersion() throws IOException {
    assertEquals(1, run("deploy hello"));
    assertTrue(err.toString().contains("no service 'hello' in " + dir.resolve("services.yml")
        + "; to run the live container at another version, give one: deploy hello VERSION"), err.toString());
  }
}
