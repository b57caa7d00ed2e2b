package dev.deployer.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.template.Templates.Mode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemplatesTest {
  private final Templates templates = new Templates();

  @Test
  void rendersWithoutHtmlEscaping() {
    Map<String, Object> vars = Map.of("url", "http://a/?x=1&y=<2>", "quote", "it's \"so\"");
    assertEquals("http://a/?x=1&y=<2> it's \"so\"", templates.render("{{url}} {{quote}}", vars, Mode.RAW));
  }

  @Test
  void dottedNamesReachIntoMappingsAndLists() {
    Map<String, Object> vars = Map.of("db", Map.of("port", 5432, "hosts", List.of("a", "b")));
    assertEquals("5432 b", templates.render("{{db.port}} {{db.hosts.1}}", vars, Mode.RAW));
    assertEquals("a,b,", templates.render("{{#db.hosts}}{{.}},{{/db.hosts}}", vars, Mode.RAW));
  }

  @Test
  void missingVariableIsAnErrorNamingIt() {
    TemplateException e = assertThrows(TemplateException.class,
        () -> templates.render("hello:{{app_version}}", Map.of(), Mode.RAW));
    assertEquals("variable 'app_version' is not defined", e.getMessage());
  }

  @Test
  void invertedSectionMayAskAboutAMissingVariable() {
    assertEquals("default", templates.render("{{^port}}default{{/port}}", Map.of(), Mode.RAW));
  }

  @Test
  void variablesHoldingTemplatesAreRenderedWhereUsed() {
    Map<String, Object> vars = Map.of("name", "hello", "image", "{{name}}:{{version}}", "version", "1.2");
    assertEquals("hello:1.2", templates.render("{{image}}", vars, Mode.RAW));
  }

  @Test
  void missingVariableInsideAnotherSaysWhichNeedsIt() {
    TemplateException e = assertThrows(TemplateException.class,
        () -> templates.render("{{image}}", Map.of("image", "{{name}}:1"), Mode.RAW));
    assertEquals("variable 'name' is not defined (needed by variable 'image')", e.getMessage());
  }

  @Test
  void selfReferenceIsCaught() {
    TemplateException e = assertThrows(TemplateException.class,
        () -> templates.render("{{a}}", Map.of("a", "x{{b}}", "b", "{{a}}"), Mode.RAW));
    assertTrue(e.getMessage().contains("refers to itself"), e.getMessage());
  }

  @Test
  void dockerGoTemplatesPassThroughWithSetDelimiter() {
    String line = templates.render(
        "{{=<% %>=}}docker ps --format '{{.Names}} {{.Status}}' --filter name=<% app %>",
        Map.of("app", "web"), Mode.SHELL);
    assertEquals("docker ps --format '{{.Names}} {{.Status}}' --filter name=web", line);
  }

  @Test
  void tripleMustacheSkipsShellQuoting() {
    assertEquals("echo a b", templates.render("echo {{{args}}}", Map.of("args", "a b"), Mode.SHELL));
    assertEquals("echo 'a b'", templates.render("echo {{args}}", Map.of("args", "a b"), Mode.SHELL));
  }

  /**
   * Whatever a value holds and wherever it lands in a shell line, the shell sees the value
   * itself: checked by running the rendered line with /bin/sh.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "$(touch /tmp/deployer-pwned)", "; rm -rf /tmp/x", "`id`", "a'b", "a\"b", "back\\slash", "$HOME",
      "two words", "new\nline", "'; echo pwned; '", "\"$(id)\"", "!bang", "*", ""})
  void shellModeQuotesValuesWhereTheyLand(String value) throws Exception {
    Map<String, Object> vars = Map.of("v", value);
    assertEquals("[" + value + "]", sh(templates.render("printf '[%s]' {{v}}", vars, Mode.SHELL)));
    assertEquals("[" + value + "]", sh(templates.render("printf '[%s]' \"{{v}}\"", vars, Mode.SHELL)));
    assertEquals("[x" + value + "y]", sh(templates.render("printf '[%s]' \"x{{v}}y\"", vars, Mode.SHELL)));
    assertEquals("[" + value + "]", sh(templates.render("printf '[%s]' '{{v}}'", vars, Mode.SHELL)));
    assertEquals("[--opt=" + value + "]", sh(templates.render("printf '[%s]' --opt={{v}}", vars, Mode.SHELL)));
  }

  private static String sh(String line) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("/bin/sh", "-c", line).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return out;
  }

  @Test
  void conditions() {
    Conditions conditions = new Conditions(templates);
    Map<String, Object> vars = Map.of("yes_flag", true, "no_flag", "no", "empty", "", "n", 0, "list", List.of(1));
    assertTrue(conditions.test("yes_flag", vars));
    assertTrue(conditions.test("!no_flag", vars));
    assertTrue(conditions.test("not empty", vars));
    assertTrue(conditions.test("!n", vars));
    assertTrue(conditions.test("list", vars));
    assertTrue(conditions.test("missing is not defined", vars));
    assertTrue(conditions.test("yes_flag is defined", vars));
    assertTrue(conditions.test("{{#yes_flag}}true{{/yes_flag}}", vars));
    assertTrue(conditions.test("true", vars));
    assertTrue(conditions.test("!false", vars));
    TemplateException e = assertThrows(TemplateException.class, () -> conditions.test("missing", vars));
    assertEquals("variable 'missing' is not defined", e.getMessage());
  }
}
