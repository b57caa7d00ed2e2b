package dev.deployer.shell;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.deployer.task.TaskType;
import dev.deployer.yaml.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a shell line reads: commands separated by {@code ;}, words separated by spaces, quoted as in
 * sh ('single' is literal, "double" takes \" and \\, a backslash escapes one character), and
 * {@code key=value} task arguments whose values are YAML scalars or flow collections.
 */
final class ShellSyntax {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern KEY_VALUE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);

  private ShellSyntax() {}

  /** A mistake in what was typed; the message is for the user as it is. */
  static final class SyntaxException extends ConfigException {
    SyntaxException(String message) {
      super(null, message);
    }
  }

  /** The commands on a line, each as its words; empty commands (";;", a blank line, a # comment) are left out. */
  static List<List<String>> commands(String line) {
    List<List<String>> commands = new ArrayList<>();
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '#' && word == null) {
        break;
      } else if (c == ';' || c == '\n') {
        word = flush(word, words);
        addCommand(commands, words);
        words = new ArrayList<>();
      } else if (Character.isWhitespace(c)) {
        word = flush(word, words);
      } else if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        if (end < 0) {
          throw new SyntaxException("unclosed ' (opened at column " + (i + 1) + ")");
        }
        word = (word == null ? new StringBuilder() : word).append(line, i + 1, end);
        i = end;
      } else if (c == '"') {
        word = word == null ? new StringBuilder() : word;
        int start = i;
        for (i++; i < line.length() && line.charAt(i) != '"'; i++) {
          char d = line.charAt(i);
          if (d == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
            d = line.charAt(++i);
          }
          word.append(d);
        }
        if (i >= line.length()) {
          throw new SyntaxException("unclosed \" (opened at column " + (start + 1) + ")");
        }
      } else if (c == '\\' && i + 1 < line.length()) {
        word = (word == null ? new StringBuilder() : word).append(line.charAt(++i));
      } else {
        word = (word == null ? new StringBuilder() : word).append(c);
      }
    }
    flush(word, words);
    addCommand(commands, words);
    return commands;
  }

  private static StringBuilder flush(StringBuilder word, List<String> words) {
    if (word != null) {
      words.add(word.toString());
    }
    return null;
  }

  private static void addCommand(List<List<String>> commands, List<String> words) {
    if (!words.isEmpty()) {
      commands.add(List.copyOf(words));
    }
  }

  /**
   * A task's arguments from {@code key=value} words. When no word is one and the task type takes
   * a free-form argument ({@code command}'s cmd), the words together are that argument. The names
   * and values are checked where a playbook's are (see GeneratedTask).
   */
  static Map<String, Object> taskArguments(TaskType type, List<String> words) {
    Map<String, Object> args = new LinkedHashMap<>();
    boolean anyKeyValue = words.stream().anyMatch(w -> KEY_VALUE.matcher(w).matches());
    if (!anyKeyValue && type.freeForm() != null && !words.isEmpty()) {
      args.put(type.freeForm(), String.join(" ", words));
      return args;
    }
    for (String word : words) {
      if (!KEY_VALUE.matcher(word).matches()) {
        throw new SyntaxException("expected key=value, got '" + word + "' (" + type.name() + " takes: "
            + String.join(", ", type.arguments().keySet()) + ")");
      }
      int eq = word.indexOf('=');
      String key = word.substring(0, eq);
      args.put(key, value(key, word.substring(eq + 1)));
    }
    return args;
  }

  /**
   * A value as YAML reads it when it is a list, a mapping, a boolean or a number
   * ({@code ports=[8080:80]}, {@code keep=3}); anything else, templates included, is the string typed.
   */
  static Object value(String key, String text) {
    String t = text.trim();
    boolean structured = t.startsWith("[") || t.startsWith("{")
        || t.matches("true|false|-?[0-9]+(\\.[0-9]+)?");
    if (!structured || t.startsWith("{{")) {
      return text;
    }
    try {
      return YAML.readValue(t, Object.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new SyntaxException(key + "=" + text + " is not valid YAML: " + e.getOriginalMessage());
    }
  }
}
