package dev.deployer.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a line into words as Python's shlex does (and so Ansible, for INI host lines and
 * ansible_ssh_common_args): whitespace separates, single and double quotes group, a backslash
 * escapes a quote or backslash inside double quotes, and with comments on, {@code #} ends the line.
 */
public final class ShellWords {
  private ShellWords() {}

  /** The words; an unclosed quote is an IllegalArgumentException. */
  public static List<String> split(String line, boolean comments) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < line.length() && "\"\\".indexOf(line.charAt(i + 1)) >= 0) {
          word.append(line.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (c == '#' && comments) {
        break;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("a quote is not closed");
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
