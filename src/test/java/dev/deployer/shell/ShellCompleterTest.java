package dev.deployer.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.task.TaskTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.jline.reader.Candidate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellCompleterTest {
  @TempDir Path dir;

  private final ShellCompleter.Names names = new ShellCompleter.Names() {
    @Override
    public Collection<String> commands() {
      return ShellCommands.names();
    }

    @Override
    public Collection<String> hostsAndGroups() {
      return List.of("web1", "web2", "db1", "web", "db", "all");
    }

    @Override
    public Collection<String> hosts() {
      return List.of("web1", "web2", "db1");
    }

    @Override
    public Collection<String> services() {
      return List.of("hello", "api");
    }

    @Override
    public Collection<String> unitCommands() {
      return UnitShellCommand.calls(dev.deployer.unit.UnitLoader.loadAll(Path.of("playbooks/units")));
    }
  };

  /** What Tab offers at the end of a line: the candidates jline would keep (those starting with the word). */
  private List<String> complete(String line) {
    List<String> words = new ArrayList<>(Arrays.asList(line.split(" ", -1)));
    String current = words.get(words.size() - 1);
    ShellCompleter completer = new ShellCompleter(names, TaskTypes.builtin(), () -> dir);
    return completer.candidates(words, current).stream().map(Candidate::value).filter(v -> v.startsWith(current)).toList();
  }

  @Test
  void commandNames() {
    assertEquals(List.of("hosts", "health", "history", "help"), complete("h"));
    assertEquals(List.of("ps"), complete("p").stream().filter(c -> !c.equals("play")).toList());
  }

  @Test
  void unitCommandsWithTheirVariants() {
    assertEquals(List.of("gitolite/start", "gitolite/start:verbose", "gitolite/stop"), complete("unit gitolite/st"));
    assertEquals(List.of("print"), complete("unit pr"));
    assertEquals(List.of("gitolite/backup"), complete("unit print gitolite/ba"));
    assertEquals(List.of(), complete("unit gitolite/backup gitolite/"), "after the command come its options");
  }

  @Test
  void taskTypes() {
    assertEquals(List.of("swap_container"), complete("run swap_co"));
    assertEquals(List.of("docker_build"), complete("check docker_b"));
  }

  @Test
  void argumentNamesEndInEqualsAndStayOpen() {
    assertEquals(List.of("image="), complete("run swap_container name=hello im"));
    ShellCompleter completer = new ShellCompleter(names, TaskTypes.builtin(), () -> dir);
    Candidate image = completer.candidates(List.of("run", "swap_container", "im"), "im").stream()
        .filter(c -> c.value().equals("image=")).findFirst().orElseThrow();
    assertFalse(image.complete(), "no space after '=': the value comes next");
    assertEquals(List.of(), complete("run swap_container image=hel"));
  }

  @Test
  void hostsAndGroupsInPatterns() {
    assertEquals(List.of("web1", "web2", "web"), complete("use we"));
    assertEquals(List.of("web:!web1", "web:!web2", "web:!web"), complete("use web:!we"));
    assertEquals(List.of("db1"), complete("vars d"));
  }

  @Test
  void services() {
    assertEquals(List.of("hello"), complete("logs he"));
    assertEquals(List.of("api"), complete("rollback a"));
    assertEquals(List.of("hello", "api"), complete("deploy "));
    assertEquals(List.of("api"), complete("health hello a"));
  }

  @Test
  void onlyTheCommandAfterTheLastSemicolonCounts() {
    assertEquals(List.of("swap_container"), complete("use web; run swap_co"));
    assertEquals(List.of("ps"), complete("use web; ps"));
  }

  @Test
  void playbookPathsAreYamlFilesAndDirectories() throws IOException {
    Files.createDirectories(dir.resolve("playbooks/apps"));
    Files.writeString(dir.resolve("playbooks/demo.yml"), "");
    Files.writeString(dir.resolve("playbooks/deploy.yaml"), "");
    Files.writeString(dir.resolve("playbooks/notes.txt"), "");
    assertEquals(List.of("playbooks/"), complete("play pl"));
    assertEquals(List.of("playbooks/apps/", "playbooks/demo.yml", "playbooks/deploy.yaml"), complete("play playbooks/"));
    assertEquals(List.of("playbooks/demo.yml", "playbooks/deploy.yaml"), complete("play playbooks/de"));
  }

  @Test
  void nothingWhereNothingFits() {
    assertTrue(complete("ps x").isEmpty());
    assertTrue(complete("run nosuchtask a").isEmpty());
  }
}
