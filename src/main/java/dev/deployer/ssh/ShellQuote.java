package dev.deployer.ssh;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where values become shell text, for {@link Command#line()} only: nothing else in deployer
 * quotes. A value is quoted for the place it lands, as a single quoting style would be wrong
 * somewhere: {@code '...'} inside {@code "..."} still lets {@code $(...)} run.
 */
final class ShellQuote {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private enum State { BARE, SINGLE, DOUBLE }

  private ShellQuote() {}

  /** One argument, quoted for a POSIX shell; left bare when it has nothing the shell reads. */
  static String quote(String value) {
    if (!value.isEmpty() && SAFE.matcher(value).matches()) {
      return value;
    }
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /** An argument vector as one command line. */
  static String join(List<String> argv) {
    return argv.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
  }

  /**
   * A user's line with its values put in: the line is read as the shell would (bare, in '...',
   * in "..."), and each value is quoted for where it stands.
   */
  static String substitute(List<Command.UserLine.Piece> pieces) {
    StringBuilder out = new StringBuilder();
    State state = State.BARE;
    for (Command.UserLine.Piece piece : pieces) {
      if (piece.value()) {
        out.append(switch (state) {
          case BARE -> quote(piece.text());
          case DOUBLE -> escapeForDoubleQuotes(piece.text());
          case SINGLE -> piece.text().replace("'", "'\\''");
        });
        continue;
      }
      String text = piece.text();
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        out.append(c);
        boolean escapes = c == '\\' && state != State.SINGLE;
        if (escapes && i + 1 < text.length()) {
          out.append(text.charAt(++i));
        } else if (c == '\'' && state != State.DOUBLE) {
          state = state == State.SINGLE ? State.BARE : State.SINGLE;
        } else if (c == '"' && state != State.SINGLE) {
          state = state == State.DOUBLE ? State.BARE : State.DOUBLE;
        }
      }
    }
    return out.toString();
  }

  /** Text that may sit between double quotes without the shell expanding any of it. */
  private static String escapeForDoubleQuotes(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (char c : value.toCharArray()) {
      if (c == '\\' || c == '$' || c == '`' || c == '"') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
