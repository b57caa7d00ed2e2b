package dev.deployer.ssh;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The one place where values become shell text. Everything deployer sends to a host goes
 * through here, so a value such as {@code $(touch /tmp/pwned)} stays a value.
 */
public final class ShellQuote {
  private static final java.util.regex.Pattern SAFE = java.util.regex.Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private ShellQuote() {}

  /** One argument, quoted for a POSIX shell; left bare when it has nothing the shell reads. */
  public static String quote(String value) {
    if (!value.isEmpty() && SAFE.matcher(value).matches()) {
      return value;
    }
    return "'" + value.replace("'", "'\\''") + "'";
  }

  /** An argument vector as one command line. */
  public static String join(List<String> argv) {
    return argv.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
  }

  /** Text that may sit between double quotes without the shell expanding any of it. */
  public static String escapeForDoubleQuotes(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (char c : value.toCharArray()) {
      if (c == '\\' || c == '$' || c == '`' || c == '"') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /** Text that may sit between single quotes: each quote closes, escapes and reopens. */
  public static String escapeForSingleQuotes(String value) {
    return value.replace("'", "'\\''");
  }
}
