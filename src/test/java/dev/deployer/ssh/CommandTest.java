package dev.deployer.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deployer.template.Templates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** How commands become shell text: checked by running the lines with /bin/sh, on this machine only. */
class CommandTest {
  private static final String[] HOSTILE = {
      "$(touch /tmp/deployer-pwned)", "; rm -rf /tmp/x", "`id`", "a'b", "a\"b", "back\\slash", "$HOME",
      "two words", "new\nline", "'; echo pwned; '", "\"$(id)\"", "!bang", "*", ""};

  static List<String> hostile() {
    return List.of(HOSTILE);
  }

  private final Templates templates = new Templates();

  /** A user's command line as a playbook gives it: a template rendered for a host. */
  private Command.UserLine userLine(String template, Map<String, Object> vars) {
    return new Command.UserLine(templates.pieces(template, vars).stream()
        .map(piece -> new Command.UserLine.Piece(piece.text(), piece.value())).toList());
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void aUsersLineQuotesEachValueWhereItLands(String value) throws Exception {
    Map<String, Object> vars = Map.of("v", value);
    assertEquals("[" + value + "]", sh(userLine("printf '[%s]' {{v}}", vars)));
    assertEquals("[" + value + "]", sh(userLine("printf '[%s]' \"{{v}}\"", vars)));
    assertEquals("[x" + value + "y]", sh(userLine("printf '[%s]' \"x{{v}}y\"", vars)));
    assertEquals("[" + value + "]", sh(userLine("printf '[%s]' '{{v}}'", vars)));
    assertEquals("[--opt=" + value + "]", sh(userLine("printf '[%s]' --opt={{v}}", vars)));
  }

  @Test
  void argumentsStayArgumentsWhateverTheyHold() throws Exception {
    for (String value : HOSTILE) {
      assertEquals("[" + value + "]", sh(Command.of("printf", "[%s]", value)));
      assertEquals("[" + value + "]", sh(Command.script("printf '[%s]' \"$1\"", value)));
    }
  }

  @Test
  void dockerGoTemplatesPassThroughWithSetDelimiter() {
    Command.UserLine line = userLine("{{=<% %>=}}docker ps --format '{{.Names}} {{.Status}}' --filter name=<% app %>",
        Map.of("app", "web"));
    assertEquals("docker ps --format '{{.Names}} {{.Status}}' --filter name=web", line.text());
  }

  @Test
  void tripleMustacheIsTextOfTheLine() {
    assertEquals("echo a b", userLine("echo {{{args}}}", Map.of("args", "a b")).text());
    assertEquals("echo 'a b'", userLine("echo {{args}}", Map.of("args", "a b")).text());
  }

  @Test
  void chainsPipesAndRedirects() throws Exception {
    Command lock = Command.of("mkdir", "-p", "/var/lib/x")
        .and(Command.of("mkdir", "/var/lib/x/a b").quietErrors())
        .and(Command.of("printf", "%s", "run_id=1").outputTo("/var/lib/x/a b/info"));
    assertEquals("mkdir -p /var/lib/x && mkdir '/var/lib/x/a b' 2>/dev/null && printf %s run_id=1 > '/var/lib/x/a b/info'",
        lock.line());
    Command either = Command.of("false").or(Command.of("echo", "b")).pipe(Command.of("tr", "b", "c"));
    assertEquals("{ false || echo b; } | tr b c", either.line());
    assertEquals("c\n", sh(either));
    assertEquals("oops\n", sh(Command.script("echo oops >&2").errorsToOutput()));
  }

  private static String sh(Command command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("/bin/sh", "-c", command.line()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return out;
  }

  @Test
  void aUsersLineRunsInAShellOfItsOwn() throws Exception {
    assertEquals("sh -c 'cd /tmp; exit 3'", Command.UserLine.of("cd /tmp; exit 3").line());
    assertEquals("after\n", sh(Command.UserLine.of("exit 3").or(Command.of("echo", "after"))));
  }
}
