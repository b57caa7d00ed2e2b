package dev.deployer.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a YAML file into {@link YamlNode}s that carry their locations. */
public final class YamlLoader {
  private static final YAMLFactory FACTORY = new YAMLFactory();

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
    try {
      return parse(new StringReader(text), name);
    } catch (IOException e) {
      throw new ConfigException(Location.of(name), "cannot read: " + e.getMessage());
    }
  }

  private static YamlNode parse(Reader reader, String name) throws IOException {
    try (JsonParser parser = FACTORY.createParser(reader)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return new YamlNode.Scalar(null, new Location(name, 1, 1));
      }
      YamlNode root = read(parser, name);
      if (parser.nextToken() != null) {
        throw new ConfigException(
            location(name, parser.currentTokenLocation()),
            "more than one YAML document; deployer reads one per file");
      }
      return root;
    } catch (JsonProcessingException e) {
      String message = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML");
      throw new ConfigException(location(name, e.getLocation()), "YAML syntax error: " + message);
    }
  }

  private static YamlNode read(JsonParser parser, String name) throws IOException {
    Location here = location(name, parser.currentTokenLocation());
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT:
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          Location keyLocation = location(name, parser.currentTokenLocation());
          if (entries.containsKey(key)) {
            throw new ConfigException(
                keyLocation,
                "duplicate key '" + key + "' (first at line " + entries.get(key).keyLocation().line() + ")");
          }
          parser.nextToken();
          entries.put(key, new YamlNode.Entry(key, keyLocation, read(parser, name)));
        }
        return new YamlNode.Mapping(entries, here);
      case START_ARRAY:
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(parser, name));
        }
        return new YamlNode.Sequence(items, here);
      case VALUE_STRING:
        return new YamlNode.Scalar(parser.getText(), here);
      case VALUE_NUMBER_INT:
        return new YamlNode.Scalar(parser.getNumberValue(), here);
      case VALUE_NUMBER_FLOAT:
        // Kept as written: a version "1.10" must not become 1.1.
        return new YamlNode.Scalar(parser.getText(), here);
      case VALUE_TRUE:
        return new YamlNode.Scalar(Boolean.TRUE, here);
      case VALUE_FALSE:
        return new YamlNode.Scalar(Boolean.FALSE, here);
      case VALUE_NULL:
        return new YamlNode.Scalar(null, here);
      default:
        throw new ConfigException(here, "unexpected YAML token " + token);
    }
  }

  private static Location location(String name, JsonLocation location) {
    if (location == null) {
      return Location.of(name);
    }
    return new Location(name, location.getLineNr(), location.getColumnNr());
  }
}
