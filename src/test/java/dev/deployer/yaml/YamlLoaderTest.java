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
