package dev.deployer.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CommandResultTest {
  private static CommandResult failed(String stdout, String stderr) {
    return new CommandResult("docker create x", 125, stdout, stderr, 1);
  }

  @Test
  void dockersRealMessageIsKeptAndItsHelpHintDropped() {
    String stderr = "docker: Error response from daemon: Conflict. The container name \"/web\" is already in use.\n"
        + "See 'docker run --help'.\n";
    assertEquals("docker: Error response from daemon: Conflict. The container name \"/web\" is already in use.",
        failed("", stderr).errorSummary());
  }

  @Test
  void theLastTwentyLinesOfStderrOrElseStdout() {
    String many = IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
    String summary = failed("", many).errorSummary();
    assertEquals(20, summary.lines().count());
    assertEquals("line 11", summary.lines().findFirst().orElseThrow());
    assertEquals("only stdout", failed("only stdout\n", "  \n").errorSummary());
  }
}
