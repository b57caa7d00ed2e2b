package dev.deployer.template;

import dev.deployer.ssh.ShellQuote;

/**
 * Quotes each substituted value for the place it landed in a shell line. Rendering marks each
 * {@code {{value}}} with {@link #START} and {@link #END}; this pass reads the line as the shell
 * would, and quotes the value for where it stands: bare, inside double quotes, or inside single
 * quotes. A single quoting style would be wrong somewhere: {@code '...'} inside {@code "..."}
 * still lets {@code $(...)} run.
 */
final class ShellSubstitution {
  static final char START = '\u0001';
  static final char END = '\u0002';

  private enum State { BARE, SINGLE, DOUBLE }

  private ShellSubstitution() {}

  /** Marks a value; control characters the markers use are dropped from it. */
  static String mark(String value) {
    return START + strip(value) + END;
  }

  static String strip(String value) {
    return value.indexOf(START) < 0 && value.indexOf(END) < 0
        ? value
        : value.replace(String.valueOf(START), "").replace(String.valueOf(END), "");
  }

  /** Removes the marks, leaving values as they are (for values that are not shell text). */
  static String unmark(String text) {
    return strip(text);
  }

  static String quoteMarked(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    State state = State.BARE;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == START) {
        int end = text.indexOf(END, i);
        String value = text.substring(i + 1, end);
        out.append(switch (state) {
          case BARE -> ShellQuote.quote(value);
          case DOUBLE -> ShellQuote.escapeForDoubleQuotes(value);
          case SINGLE -> ShellQuote.escapeForSingleQuotes(value);
        });
        i = end + 1;
        continue;
      }
      out.append(c);
      if (state == State.BARE) {
        if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) != START) {
          out.append(text.charAt(++i));
        } else if (c == '\'') {
          state = State.SINGLE;
        } else if (c == '"') {
          state = State.DOUBLE;
        }
      } else if (state == State.SINGLE) {
        if (c == '\'') {
          state = State.BARE;
        }
      } else {
        if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) != START) {
          out.append(text.charAt(++i));
        } else if (c == '"') {
          state = State.BARE;
        }
      }
      i++;
    }
    return out.toString();
  }
}
