package dev.deployer.yaml;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reading parsed YAML into what a file means, with errors that name the file, line and key: the
 * same checks and words for playbooks, units and every other file deployer reads.
 */
public final class Nodes {
  private Nodes() {}

  public static void checkKeys(YamlNode.Mapping mapping, Set<String> allowed, String what) {
    for (YamlNode.Entry entry : mapping.entries().values()) {
      if (!allowed.contains(entry.key())) {
        throw new ConfigException(entry.keyLocation(),
            "unknown " + what + " key '" + entry.key() + "'" + Suggestions.didYouMean(entry.key(), allowed));
      }
    }
  }

  public static YamlNode.Mapping mapping(YamlNode node, String what) {
    if (node instanceof YamlNode.Mapping mapping) {
      return mapping;
    }
    throw new ConfigException(node.location(), "expected " + what + " (a mapping), found " + node.kind());
  }

  public static List<YamlNode> list(YamlNode node, String key) {
    if (node == null || (node instanceof YamlNode.Scalar s && s.value() == null)) {
      return List.of();
    }
    if (node instanceof YamlNode.Sequence sequence) {
      return sequence.items();
    }
    throw new ConfigException(node.location(), key + " must be a list, not " + node.kind());
  }

  public static List<String> stringList(YamlNode node, String key) {
    if (node instanceof YamlNode.Scalar scalar && scalar.value() != null) {
      return List.of(scalar.value().toString());
    }
    return list(node, key).stream().map(item -> scalarString(item, key + " entry")).toList();
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> plainMap(YamlNode node, String key) {
    if (node == null || (node instanceof YamlNode.Scalar s && s.value() == null)) {
      return Map.of();
    }
    return (Map<String, Object>) mapping(node, key).toPlain();
  }

  public static String optionalString(YamlNode.Mapping mapping, String key) {
    YamlNode node = mapping.get(key);
    return node == null ? null : scalarString(node, key);
  }

  public static String scalarString(YamlNode node, String what) {
    if (node instanceof YamlNode.Scalar scalar && scalar.value() != null) {
      return scalar.value().toString();
    }
    throw new ConfigException(node.location(), what + " must be a single value, not " + node.kind());
  }

  public static boolean bool(YamlNode.Mapping mapping, String key) {
    YamlNode node = mapping.get(key);
    if (node == null) {
      return false;
    }
    if (node instanceof YamlNode.Scalar scalar && scalar.value() instanceof Boolean b) {
      return b;
    }
    throw new ConfigException(node.location(), key + " must be true or false");
  }
}
