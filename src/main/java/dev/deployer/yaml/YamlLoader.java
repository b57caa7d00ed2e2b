package dev.deployer.yaml;

import dev.deployer.template.Unsafe;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a YAML file into {@link YamlNode}s that carry their locations. Anchors, aliases and merge
 * keys ({@code <<: *base}) work as YAML says; aliases that would expand beyond any real file (a
 * "billion laughs") are refused at once.
 */
public final class YamlLoader {
  /** More values than any playbook or inventory has; aliases that expand beyond it are refused. */
  static final long MAX_NODES = 1_000_000;
  private static final Tag UNSAFE = new Tag("!unsafe");

  private YamlLoader() {}

  public static YamlNode load(Path file) {
    String name = file.toString();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(reader, name);
    } catch (NoSuchFileException e) {
      throw new ConfigException(Location.of(name), "file not found");
    } catch (IOException e) {
      throw new ConfigException(Location.of(name), "cannot read: " + e.getMessage());
    }
  }

  public static YamlNode parse(String text, String name) {
    return parse(new StringReader(text), name);
  }

  private static YamlNode parse(Reader reader, String name) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // reported below, with both lines
    options.setMaxAliasesForCollections(10_000); // our own count below is the real limit
    Yaml yaml = new Yaml(options);
    List<Node> documents = new ArrayList<>();
    try {
      yaml.composeAll(reader).forEach(documents::add);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      throw new ConfigException(location(name, mark), "YAML syntax error: " + firstLine(e.getProblem()));
    } catch (YAMLException e) {
      throw new ConfigException(Location.of(name), "YAML error: " + firstLine(e.getMessage()));
    }
    if (documents.isEmpty()) {
      return new YamlNode.Scalar(null, new Location(name, 1, 1));
    }
    if (documents.size() > 1) {
      throw new ConfigException(location(name, documents.get(1).getStartMark()),
          "more than one YAML document; deployer reads one per file");
    }
    return new Converting(name).convert(documents.get(0));
  }

  private static String firstLine(String text) {
    return text == null ? "invalid YAML" : text.lines().findFirst().orElse("invalid YAML");
  }

  private static Location location(String name, Mark mark) {
    return mark == null ? Location.of(name) : new Location(name, mark.getLine() + 1, mark.getColumn() + 1);
  }

  /**
   * One document's nodes made into YamlNodes. A node an alias names again is converted once and
   * shared; what the aliases stand for is counted as if expanded, so the count is what a reader of
   * the values would see.
   */
  private static final class Converting {
    private final String name;
    private final Map<Node, YamlNode> converted = new IdentityHashMap<>();
    private final Map<Node, Long> sizes = new IdentityHashMap<>();
    private final Map<Node, Boolean> inProgress = new IdentityHashMap<>();
    private long expanded;

    Converting(String name) {
      this.name = name;
    }

    YamlNode convert(Node node) {
      if (node.getTag().equals(UNSAFE) && !(node instanceof ScalarNode)) {
        throw new ConfigException(location(name, node.getStartMark()), "!unsafe marks a single value, not a list or a mapping");
      }
      YamlNode done = converted.get(node);
      if (done != null) {
        count(sizes.get(node), node);
        return done;
      }
      if (inProgress.put(node, true) != null) {
        throw new ConfigException(location(name, node.getStartMark()), "an alias here refers to the value it is in");
      }
      Location here = location(name, node.getStartMark());
      long before = expanded;
      YamlNode result;
      if (node instanceof MappingNode mapping) {
        result = mapping(mapping, here);
      } else if (node instanceof SequenceNode sequence) {
        List<YamlNode> items = new ArrayList<>();
        sequence.getValue().forEach(item -> items.add(convert(item)));
        result = new YamlNode.Sequence(items, here);
      } else {
        result = new YamlNode.Scalar(scalar((ScalarNode) node), here);
      }
      inProgress.remove(node);
      count(1, node);
      converted.put(node, result);
      sizes.put(node, expanded - before);
      return result;
    }

    /** Its own keys win over those a merge key brings in; earlier merged mappings win over later ones. */
    private YamlNode mapping(MappingNode node, Location here) {
      Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
      List<YamlNode.Mapping> merged = new ArrayList<>();
      for (NodeTuple tuple : node.getValue()) {
        Location keyLocation = location(name, tuple.getKeyNode().getStartMark());
        if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
          throw new ConfigException(keyLocation, "a key must be a plain value, not a list or a mapping");
        }
        if (keyNode.getTag().equals(Tag.MERGE)) {
          merged.addAll(mergeSources(convert(tuple.getValueNode()), keyLocation));
          continue;
        }
        String key = keyNode.getValue();
        if (entries.containsKey(key)) {
          throw new ConfigException(
              keyLocation, "duplicate key '" + key + "' (first at line " + entries.get(key).keyLocation().line() + ")");
        }
        entries.put(key, new YamlNode.Entry(key, keyLocation, convert(tuple.getValueNode())));
      }
      for (YamlNode.Mapping source : merged) {
        source.entries().forEach(entries::putIfAbsent);
      }
      return new YamlNode.Mapping(entries, here);
    }

    private static List<YamlNode.Mapping> mergeSources(YamlNode value, Location where) {
      List<YamlNode> sources = value instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(value);
      List<YamlNode.Mapping> mappings = new ArrayList<>();
      for (YamlNode source : sources) {
        if (!(source instanceof YamlNode.Mapping mapping)) {
          throw new ConfigException(where, "a merge key (<<) takes a mapping or a list of them, not " + source.kind());
        }
        mappings.add(mapping);
      }
      return mappings;
    }

    /**
     * A scalar's value as YAML 1.2 types it: true and false are booleans (yes, no, on and off stay
     * words), whole numbers are numbers, and other numbers keep their text, so version 1.10 is not 1.1.
     * {@code !unsafe} text is a value that is never rendered as a template.
     */
    private static Object scalar(ScalarNode node) {
      String text = node.getValue();
      Tag tag = node.getTag();
      if (tag.equals(UNSAFE)) {
        return new Unsafe(text);
      }
      if (tag.equals(Tag.NULL)) {
        return null;
      }
      if (tag.equals(Tag.BOOL) && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
        return Boolean.parseBoolean(text);
      }
      if (tag.equals(Tag.INT) && text.matches("[-+]?[0-9]{1,18}")) {
        long value = Long.parseLong(text);
        return value == (int) value ? (Object) (int) value : (Object) value;
      }
      return text;
    }

    private void count(long nodes, Node where) {
      expanded += nodes;
      if (expanded > MAX_NODES) {
        throw new ConfigException(location(name, where.getStartMark()), "the aliases in this file stand for more than "
            + MAX_NODES + " values; deployer refuses to expand them (a \"billion laughs\" file?)");
      }
    }
  }
}
