package dev.deployer.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatesTest {
  private final Templates templates = new Templates();

  @Test
  void rendersWithoutHtmlEscaping() {
    Map<String, Object> vars = Map.of("url", "http://a/?x=1&y=<2>", "quote", "it's \"so\"");
    assertEquals("http://a/?x=1&y=<2> it's \"so\"", templates.render("{{url}} {{quote}}", vars));
  }

  @Test
  void dottedNamesReachIntoMappingsAndLists() {
    Map<String, Object> vars = Map.of("db", Map.of("port", 5432, "hosts", List.of("a", "b")));
    assertEquals("5432 b", templates.render("{{db.port}} {{db.hosts.1}}", vars));
    assertEquals("a,b,", templates.render("{{#db.hosts}}{{.}},{{/db.hosts}}", vars));
  }

  @Test
  void missingVariableIsAnErrorNamingIt() {
    TemplateException e = assertThrows(TemplateException.class,
        () -> templates.render("hello:{{app_version}}", Map.of()));
    assertEquals("variable 'app_version' is not defined", e.getMessage());
  }

  @Test
  void invertedSectionMayAskAboutAMissingVariable() {
    assertEquals("default", templates.render("{{^port}}default{{/port}}", Map.of()));
  }

  @Test
  void variablesHoldingTemplatesAreRenderedWhereUsed() {
    Map<String, Object> vars = Map.of("name", "hello", "image", "{{name}}:{{version}}", "version", "1.2");
    assertEquals("hello:1.2", templates.render("{{image}}", vars));
  }

  @Test
  void missingVariableInsideAnotherSaysWhichNeedsIt() {
    TemplateException e = assertThrows(TemplateException.class,
        () -> templates.render("{{image}}", Map.of("image", "{{name}}:1")));
    assertEquals("variable 'name' is not defined (needed by variable 'image')", e.getMessage());
  }

  @Test
  void selfReferenceIsCaught() {
    TemplateException e = assertThrows(TemplateException.class,
        () -> templates.render("{{a}}", Map.of("a", "x{{b}}", "b", "{{a}}")));
    assertTrue(e.getMessage().contains("refers to itself"), e.getMessage());
  }

  @Test
  void piecesTellTheTemplatesTextFromTheValuesPutIn() {
    assertEquals(List.of(new Templates.Piece("echo ", false), new Templates.Piece("a b", true),
            new Templates.Piece(" raw words", false)),
        templates.pieces("echo {{v}} {{{r}}}", Map.of("v", "a b", "r", "raw words")));
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
