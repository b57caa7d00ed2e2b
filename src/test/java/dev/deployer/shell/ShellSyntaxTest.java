package dev.deployer.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.task.TaskType;
import dev.deployer.task.TaskTypes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShellSyntaxTest {
  private static final TaskType COMMAND = TaskTypes.builtin().find("command").orElseThrow();
  private static final TaskType SWAP = TaskTypes.builtin().find("swap_container").orElseThrow();

  @Test
  void splitsCommandsAtSemicolonsAndWordsAtSpaces() {
    assertEquals(List.of(List.of("use", "web"), List.of("ps")), ShellSyntax.commands("use web; ps"));
    assertEquals(List.of(List.of("use", "h1"), List.of("ps")), ShellSyntax.commands("use h1;ps;;"));
  }

  @Test
  void quotesWorkAsInSh() {
    assertEquals(List.of(List.of("run", "command", "cmd=docker ps -a")), ShellSyntax.commands("run command cmd=\"docker ps -a\""));
    assertEquals(List.of(List.of("a;b", "it's", "x\"y", "c d")),
        ShellSyntax.commands("'a;b' it\\'s \"x\\\"y\" c\\ d"));
    assertEquals(List.of(List.of("cmd=docker ps --format {{.Names}}")),
        ShellSyntax.commands("cmd='docker ps --format {{.Names}}'"));
  }

  @Test
  void commentsAndBlankLinesAreNothing() {
    assertEquals(List.of(), ShellSyntax.commands("   "));
    assertEquals(List.of(), ShellSyntax.commands("# deploy the app"));
    assertEquals(List.of(List.of("ps")), ShellSyntax.commands("ps # all hosts"));
    assertEquals(List.of(List.of("echo", "a#b")), ShellSyntax.commands("echo a#b"));
  }

  @Test
  void anUnclosedQuoteSaysWhere() {
    ShellSyntax.SyntaxException e = assertThrows(ShellSyntax.SyntaxException.class, () -> ShellSyntax.commands("run command cmd='ls"));
    assertEquals("unclosed ' (opened at column 17)", e.getMessage());
  }

  @Test
  void keyValueArgumentsTakeYamlValues() {
    Map<String, Object> args = ShellSyntax.taskArguments(SWAP,
        List.of("name=hello", "image=hello:{{version}}", "ports=[8080:8080, \"9090:90\"]", "keep=3", "env={A: b}"));
    assertEquals("hello", args.get("name"));
    assertEquals("hello:{{version}}", args.get("image"));
    assertEquals(List.of("8080:8080", "9090:90"), args.get("ports"));
    assertEquals(3, args.get("keep"));
    assertEquals(Map.of("A", "b"), args.get("env"));
  }

  @Test
  void aTemplateValueStaysAString() {
    assertEquals("{{ports}}", ShellSyntax.taskArguments(SWAP, List.of("name=a", "image=b", "ports={{ports}}")).get("ports"));
  }

  @Test
  void bareWordsFillTheFreeFormArgument() {
    assertEquals(Map.of("cmd", "docker ps -a"), ShellSyntax.taskArguments(COMMAND, List.of("docker", "ps", "-a")));
    assertEquals(Map.of("cmd", "docker ps"), ShellSyntax.taskArguments(COMMAND, List.of("cmd=docker ps")));
  }

  @Test
  void badYamlIsAnErrorNamingTheKey() {
    ShellSyntax.SyntaxException e = assertThrows(ShellSyntax.SyntaxException.class,
        () -> ShellSyntax.taskArguments(SWAP, List.of("name=a", "image=b", "ports=[8080")));
    assertTrue(e.getMessage().startsWith("ports=[8080 is not valid YAML"), e.getMessage());
  }
}
