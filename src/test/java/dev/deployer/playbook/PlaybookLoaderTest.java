package dev.deployer.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.task.TaskTypes;
import dev.deployer.yaml.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookLoaderTest {
  @TempDir Path dir;

  private final PlaybookLoader loader = new PlaybookLoader(TaskTypes.builtin());

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void readsPlaysTasksAndVarsFiles() throws IOException {
    write("vars.yml", "app_version: \"2.0\"\nfrom_file: yes\n");
    Playbook book = loader.load(write("deploy.yml", """
        - name: Deploy
          hosts: web
          vars:
            app_version: "1.0"
            app_dir: /opt/app
          vars_files: [vars.yml]
          tags: [deploy]
          tasks:
            - name: Greet
              command: echo hello
              register: greeting
              when: "!skip_greeting"
              changed_when: false
              tags: greet
            - command:
                cmd: [ls, -l]
                chdir: /tmp
            - command: make
              args:
                creates: /opt/app/built
        """));
    Play play = book.plays().get(0);
    assertEquals("Deploy", play.name());
    assertEquals("web", play.hosts());
    assertEquals("2.0", play.vars().get("app_version"));
    assertEquals("/opt/app", play.vars().get("app_dir"));
    TaskSpec greet = play.tasks().get(0);
    assertEquals("command", greet.type().name());
    assertEquals(java.util.Map.of("cmd", "echo hello"), greet.args().toPlain());
    assertEquals(List.of("deploy", "greet"), greet.tags());
    assertEquals(List.of("!skip_greeting"), greet.when());
    assertEquals("greeting", greet.register());
    assertEquals(Boolean.FALSE, greet.changedWhen());
    assertEquals(10, greet.location().line());
    assertEquals("command", play.tasks().get(1).displayName());
    assertEquals(java.util.Map.of("cmd", "make", "creates", "/opt/app/built"), play.tasks().get(2).args().toPlain());
  }

  @Test
  void unknownTaskTypeNamesFileLineAndClosestType() throws IOException {
    Path file = write("bad.yml", """
        - hosts: all
          tasks:
            - name: Copy
              sync_dri:
                src: a
                dest: /b
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
    assertTrue(e.getMessage().startsWith(
        file + ":4: unknown task type 'sync_dri' (did you mean 'sync_dir'?); known types: command, sync_dir,"),
        e.getMessage());
  }

  @Test
  void unknownArgumentNamesFileLineAndClosestArgument() throws IOException {
    Path file = write("bad.yml", """
        - hosts: all
          tasks:
            - sync_dir:
                src: a
                dset: /b
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
    assertTrue(e.getMessage().startsWith(file + ":5: unknown argument 'dset' for sync_dir (did you mean 'dest'?)"), e.getMessage());
  }

  @Test
  void missingRequiredArgument() throws IOException {
    Path file = write("bad.yml", "- hosts: all\n  tasks:\n    - docker_build: {image: x}\n");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
    assertEquals(file + ":3: docker_build needs 'context'", e.getMessage());
  }

  @Test
  void wrongShapeOfArgument() throws IOException {
    Path file = write("bad.yml", "- hosts: all\n  tasks:\n    - docker_build: {context: /a, image: x, build_args: [a, b]}\n");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
    assertTrue(e.getMessage().contains("docker_build.build_args must be a mapping of names to values, not a list"), e.getMessage());
  }

  @Test
  void nestedKeysAreCheckedAtLoadEvenWhenOtherArgumentsAreTemplates() throws IOException {
    Path file = write("bad.yml", """
        - hosts: all
          tasks:
            - swap_container:
                name: web
                image: "web:{{version}}"
                health: {timout: 5}
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
    assertEquals(file + ":6: swap_container.health has an unknown key 'timout' (did you mean 'timeout'?)", e.getMessage());
  }

  @Test
  void valuesThatWouldReachDockerAsOptionsAreRefused() throws IOException {
    for (String task : List.of("swap_container: {name: web, image: \"--help\"}", "swap_container: {name: \"-x\", image: web}",
        "docker_prune: {repository: \"--all\"}")) {
      Path file = write("bad.yml", "- hosts: all\n  tasks:\n    - " + task + "\n");
      ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
      assertTrue(e.getMessage().startsWith(file + ":3: "), e.getMessage());
    }
  }

  @Test
  void aValueTooLongForACommandArgumentIsRefusedClearly() throws IOException {
    String big = "x".repeat(100 * 1024);
    Path file = write("big.yml", "- hosts: all\n  tasks:\n    - swap_container:\n        name: web\n        image: web\n"
        + "        env: {BLOB: " + big + "}\n");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
    assertTrue(e.getMessage().startsWith(file + ":6: swap_container.env holds a value of 102405 characters"), e.getMessage());
    assertTrue(e.getMessage().contains("put it in a file"), e.getMessage());
  }

  @Test
  void twoTaskTypesInOneTask() throws IOException {
    Path file = write("bad.yml", "- hosts: all\n  tasks:\n    - command: ls\n      sync_dir: {src: a, dest: /b}\n");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
    assertTrue(e.getMessage().startsWith(file + ":4: a task has one type"), e.getMessage());
  }

  @Test
  void unknownPlayKeySuggests() throws IOException {
    Path file = write("bad.yml", "- hosts: all\n  task:\n    - command: ls\n");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
    assertEquals(file + ":2: unknown play key 'task' (did you mean 'tasks'?)", e.getMessage());
  }

  @Test
  void playWithoutHosts() throws IOException {
    Path file = write("bad.yml", "- name: x\n  tasks: []\n");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
    assertEquals(file + ":1: play 'x' has no 'hosts:'", e.getMessage());
  }

  @Test
  void missingVarsFileIsNamed() throws IOException {
    Path file = write("bad.yml", "- hosts: all\n  vars_files: [nope.yml]\n  tasks: []\n");
    ConfigException e = assertThrows(ConfigException.class, () -> loader.load(file));
    assertTrue(e.getMessage().endsWith("nope.yml: file not found"), e.getMessage());
  }

  @Test
  void theCheckedInPlaybooksLoad() {
    Path playbooks = Path.of(System.getProperty("user.dir"), "playbooks");
    assertEquals(5, loader.load(playbooks.resolve("demo.yml")).plays().get(0).tasks().size());
    for (String name : List.of("deploy.yml", "hook-deploy.yml", "builtin/config.yml", "builtin/build.yml",
        "builtin/deploy.yml", "builtin/healthcheck.yml")) {
      assertTrue(loader.load(playbooks.resolve(name)).plays().size() >= 1, name);
    }
  }
}
