package dev.deployer.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class YamlLoaderTest {

  @Test
  void keysRememberTheirLines() {
    YamlNode.Mapping root = (YamlNode.Mapping) YamlLoader.parse("a: 1\nb:\n  c: x\n", "f.yml");
    assertEquals(1, root.locationOf("a").line());
    assertEquals(2, root.locationOf("b").line());
    YamlNode.Mapping b = (YamlNode.Mapping) root.get("b");
    assertEquals(new Location("f.yml", 3, 3), b.locationOf("c"));
  }

  @Test
  void aliasesAreTheNodesTheirAnchorsName() {
    Object plain = YamlLoader.parse("""
        s: &s hello
        p: &p "8080:80"
        s2: *s
        ports: [*p, "9090:90"]
        base: &base {image: app, keep: 3}
        copy: *base
        """, "f.yml").toPlain();
    assertEquals(java.util.Map.of("s", "hello", "p", "8080:80", "s2", "hello", "ports", java.util.List.of("8080:80", "9090:90"),
        "base", java.util.Map.of("image", "app", "keep", 3), "copy", java.util.Map.of("image", "app", "keep", 3)), plain);
  }

  @Test
  void mergeKeysBringEntriesInAndOwnKeysWin() {
    Object plain = YamlLoader.parse("""
        base: &base {image: app, keep: 3, network: a}
        extra: &extra {network: b, restart: always}
        web:
          <<: [*base, *extra]
          keep: 5
        """, "f.yml").toPlain();
    assertEquals(java.util.Map.of("image", "app", "keep", 5, "network", "a", "restart", "always"),
        ((java.util.Map<?, ?>) plain).get("web"));
  }

  @Test
  void anUnknownAliasNamesItsLine() {
    ConfigException e = assertThrows(ConfigException.class, () -> YamlLoader.parse("a: 1\nb: *nope\n", "f.yml"));
    assertEquals("f.yml:2: YAML syntax error: found undefined alias nope", e.getMessage());
  }

  @Test
  void aBillionLaughsIsRefusedAtOnce() {
    StringBuilder yaml = new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
      String refs = String.join(", ", java.util.Collections.nCopies(10, "*l" + (i - 1)));
      yaml.append("l").append(i).append(": &l").append(i).append(" [").append(refs).append("]\n");
    }
    long started = System.nanoTime();
    ConfigException e = assertThrows(ConfigException.class, () -> YamlLoader.parse(yaml.toString(), "laughs.yml"));
    assertTrue(e.getMessage().contains("billion laughs"), e.getMessage());
    assertTrue(System.nanoTime() - started < 1_000_000_000L, "took more than a second");
  }

  @Test
  void unsafeMarksAValueThatIsNeverATemplate() {
    YamlNode.Mapping root = (YamlNode.Mapping) YamlLoader.parse("a: !unsafe \"{{x}}\"\nb: \"{{x}}\"\n", "f.yml");
    assertEquals(new dev.deployer.template.Unsafe("{{x}}"), ((YamlNode.Scalar) root.get("a")).value());
    assertEquals("{{x}}", ((YamlNode.Scalar) root.get("b")).value());
    ConfigException e = assertThrows(ConfigException.class, () -> YamlLoader.parse("a: !unsafe [1, 2]\n", "f.yml"));
    assertEquals("f.yml:1: !unsafe marks a single value, not a list or a mapping", e.getMessage());
  }

  @Test
  void floatsKeepTheirText() {
    YamlNode.Mapping root = (YamlNode.Mapping) YamlLoader.parse("version: 1.10\nport: 22\nflag: true\n", "f.yml");
    assertEquals("1.10", ((YamlNode.Scalar) root.get("version")).value());
    assertEquals(22, ((Number) ((YamlNode.Scalar) root.get("port")).value()).intValue());
    assertEquals(Boolean.TRUE, ((YamlNode.Scalar) root.get("flag")).value());
  }

  @Test
  void duplicateKeyNamesBothLines() {
    ConfigException e = assertThrows(ConfigException.class, () -> YamlLoader.parse("a: 1\nb: 2\na: 3\n", "f.yml"));
    assertEquals("f.yml:3: duplicate key 'a' (first at line 1)", e.getMessage());
  }

  @Test
  void syntaxErrorIsOneLineWithFileAndLine() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> YamlLoader.parse("- name: x\n  tasks:\n    - a: [1, 2\n", "play.yml"));
    assertTrue(e.getMessage().startsWith("play.yml:"), e.getMessage());
    assertTrue(e.getMessage().contains("YAML syntax error"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void emptyDocumentIsNull() {
    YamlNode node = YamlLoader.parse("", "f.yml");
    assertInstanceOf(YamlNode.Scalar.class, node);
    assertEquals(null, ((YamlNode.Scalar) node).value());
  }

  @Test
  void suggestsCloseNames() {
    assertEquals(" (did you mean 'sync_dir'?)", Suggestions.didYouMean("sync_dri", java.util.List.of("command", "sync_dir")));
    assertEquals(" (did you mean 'dest'?)", Suggestions.didYouMean("dset", java.util.List.of("src", "dest")));
    assertEquals("", Suggestions.didYouMean("completely_else", java.util.List.of("src", "dest")));
  }
}
