package dev.deployer.task;

import dev.deployer.ssh.Command;
import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Location;
import dev.deployer.yaml.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One argument of a task type, declared once: what it holds, whether it is required, the values
 * it allows. The same declaration checks a playbook's literal values when it loads, checks
 * templated values after they are rendered for a host, and writes the help.
 *
 * @param mandatory the task cannot do without it
 * @param choices the only values allowed (empty: any)
 * @param pattern what a string value must match, or null; {@code patternHelp} says it in words
 * @param min the smallest number allowed, or null
 * @param inside checks what a mapping holds (its own keys and values), or null
 */
public record Arg(
    String name, ArgKind kind, boolean mandatory, String help, Set<String> choices, Pattern pattern,
    String patternHelp, Integer min, Inside inside) {
  private static final Pattern ABSOLUTE = Pattern.compile("/.*");
  /**
   * The longest value one argument may hold. Linux refuses a single command argument over 128 KiB
   * (MAX_ARG_STRLEN) with "Argument list too long"; half of that leaves room for what surrounds it.
   */
  static final long MAX_VALUE = 64 * 1024;

  public Arg {
    choices = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(choices));
  }

  /** Checks the inside of a value, such as the keys of {@code health: {timeout, http}}. */
  @FunctionalInterface
  public interface Inside {
    /** @param complain turns a problem into the error to throw, naming the argument and its place */
    void check(Object value, java.util.function.Function<String, RuntimeException> complain);
  }

  public static Arg of(String name, ArgKind kind, String help) {
    return new Arg(name, kind, false, help, Set.of(), null, null, null, null);
  }

  public static Arg string(String name, String help) {
    return of(name, ArgKind.STRING, help);
  }

  public Arg required() {
    return new Arg(name, kind, true, help, choices, pattern, patternHelp, min, inside);
  }

  public Arg choices(String... allowed) {
    return new Arg(name, kind, mandatory, help, new LinkedHashSet<>(List.of(allowed)), pattern, patternHelp, min, inside);
  }

  /** @param what the pattern in words, as the error says it: "a container name (letters, digits, _ . -)" */
  public Arg matching(Pattern allowed, String what) {
    return new Arg(name, kind, mandatory, help, choices, allowed, what, min, inside);
  }

  /** A path on the host, which must be absolute: relative to what would differ from host to host. */
  public Arg absolutePath() {
    return matching(ABSOLUTE, "an absolute path on the host");
  }

  public Arg atLeast(int smallest) {
    return new Arg(name, kind, mandatory, help, choices, pattern, patternHelp, smallest, inside);
  }

  /** What the value must hold inside, checked wherever the value is: at load when literal, per host when rendered. */
  public Arg inside(Inside check) {
    return new Arg(name, kind, mandatory, help, choices, pattern, patternHelp, min, check);
  }

  /** One line of help: name, kind, what it is for, and what it allows. */
  public String describe() {
    StringBuilder text = new StringBuilder(name).append(mandatory ? " (required)" : "").append(": ").append(help);
    if (!choices.isEmpty()) {
      text.append(" [").append(String.join("|", choices)).append("]");
    }
    if (min != null) {
      text.append(" [>= ").append(min).append("]");
    }
    return text.toString();
  }

  /**
   * The value as the task reads it (a number for an INTEGER given as "3", true for "yes"), or an
   * error naming the file and line, the argument, and what it allows.
   */
  Object check(String taskType, Object value, Location where) {
    if (value == null) {
      return null;
    }
    String label = taskType + "." + name;
    Object checked = switch (kind) {
      case STRING -> scalar(label, value, where);
      case BOOLEAN -> bool(label, value, where);
      case INTEGER -> integer(label, value, where);
      case COMMAND -> command(label, value, where);
      case STRING_LIST -> stringList(label, value, where);
      case WORDS -> value instanceof List<?> ? stringList(label, value, where) : words(label, scalar(label, value, where), where);
      case STRING_MAP -> stringMap(label, value, where);
      case MAPPING -> mapping(label, value, where);
      case MAPPINGS -> mappings(label, value, where);
    };
    if (checked instanceof String text) {
      allowed(label, text, where);
    }
    long longest = longest(checked);
    if (longest > MAX_VALUE) {
      throw new ConfigException(where, label + " holds a value of " + longest + " characters; values reach the host as"
          + " command arguments, which Linux limits to " + MAX_VALUE / 1024 + " KiB each here: put it in a file"
          + " (env_file, or a file sync_dir copies) instead");
    }
    if (inside != null) {
      inside.check(checked, problem -> new ConfigException(where, label + " " + problem));
    }
    return checked;
  }

  /** The longest text in a value, lists and mappings searched: what one command argument would hold. */
  private static long longest(Object value) {
    if (value instanceof Command.UserLine line) {
      return line.shown().length();
    }
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream().mapToLong(e -> String.valueOf(e.getKey()).length() + 1 + longest(e.getValue())).max().orElse(0);
    }
    if (value instanceof List<?> list) {
      return list.stream().mapToLong(Arg::longest).max().orElse(0);
    }
    return value == null ? 0 : value.toString().length();
  }

  private void allowed(String label, String text, Location where) {
    if (!choices.isEmpty() && !choices.contains(text)) {
      throw new ConfigException(where, label + " must be one of " + String.join(", ", choices) + ", not '" + text + "'"
          + Suggestions.didYouMean(text, choices));
    }
    if (pattern != null && !pattern.matcher(text).matches()) {
      throw new ConfigException(where, label + ": '" + text + "' is not " + patternHelp);
    }
  }

  private static String scalar(String label, Object value, Location where) {
    if (value instanceof Map || value instanceof List) {
      throw new ConfigException(where, label + " must be a single value, not a " + (value instanceof Map ? "mapping" : "list"));
    }
    return value.toString();
  }

  private static Boolean bool(String label, Object value, Location where) {
    if (value instanceof Boolean b) {
      return b;
    }
    return switch (scalar(label, value, where).trim().toLowerCase()) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new ConfigException(where, label + " must be true or false, not '" + value + "'");
    };
  }

  private Integer integer(String label, Object value, Location where) {
    int number;
    try {
      number = Integer.parseInt(scalar(label, value, where).trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(where, label + " must be a whole number, not '" + value + "'");
    }
    if (min != null && number < min) {
      throw new ConfigException(where, label + " must be " + min + " or more, not " + number);
    }
    return number;
  }

  /** A user's shell line (text, or already rendered with its values), or a list of arguments. */
  private static Object command(String label, Object value, Location where) {
    if (value instanceof Command.UserLine || value instanceof String) {
      return value;
    }
    if (value instanceof List<?>) {
      List<String> argv = stringList(label, value, where);
      if (argv.isEmpty()) {
        throw new ConfigException(where, label + " is an empty list");
      }
      return argv;
    }
    throw new ConfigException(where, label + " must be a command line or a list of arguments, not a mapping");
  }

  /** A list of plain values; a single value counts as a list of one. */
  private static List<String> stringList(String label, Object value, Location where) {
    List<String> out = new ArrayList<>();
    if (!(value instanceof List<?> list)) {
      out.add(scalar(label, value, where));
      return List.copyOf(out);
    }
    for (Object item : list) {
      if (item instanceof Map || item instanceof List || item == null) {
        throw new ConfigException(where, label + " must be a list of plain values");
      }
      out.add(item.toString());
    }
    return List.copyOf(out);
  }

  /** Words as sh splits them: '...' literal, "..." and bare with \ escaping one character. */
  static List<String> words(String label, String line, Location where) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0 && c == quote) {
        quote = 0;
      } else if (quote == 0 && (c == '\'' || c == '"')) {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (quote == 0 && Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
        }
        word = null;
      } else {
        boolean escape = c == '\\' && quote != '\'' && i + 1 < line.length();
        word = (word == null ? new StringBuilder() : word).append(escape ? line.charAt(++i) : c);
      }
    }
    if (quote != 0) {
      throw new ConfigException(where, label + " has an unclosed " + quote);
    }
    if (word != null) {
      words.add(word.toString());
    }
    return List.copyOf(words);
  }

  private static Map<String, String> stringMap(String label, Object value, Location where) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new ConfigException(where, label + " must be a mapping of names to values, not " + kindOf(value));
    }
    Map<String, String> out = new LinkedHashMap<>();
    map.forEach((k, v) -> {
      if (v instanceof Map || v instanceof List) {
        throw new ConfigException(where, label + ": the value of '" + k + "' must be a plain value");
      }
      out.put(String.valueOf(k), v == null ? "" : v.toString());
    });
    return java.util.Collections.unmodifiableMap(out);
  }

  private static Map<?, ?> mapping(String label, Object value, Location where) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new ConfigException(where, label + " must be a mapping, not " + kindOf(value));
    }
    return map;
  }

  private static Object mappings(String label, Object value, Location where) {
    List<?> items = value instanceof List<?> list ? list : List.of(value);
    for (Object item : items) {
      if (!(item instanceof Map)) {
        throw new ConfigException(where, label + " must be a mapping or a list of mappings");
      }
    }
    return value;
  }

  private static String kindOf(Object value) {
    return value instanceof List ? "a list" : "'" + value + "'";
  }
}
