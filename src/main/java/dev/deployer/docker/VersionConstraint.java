package dev.deployer.docker;

import dev.deployer.yaml.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version requirement such as {@code >=24.0}, {@code 27.3.*}, {@code 20.10.24} or {@code
 * >=24, <28}. A bare version matches by prefix: {@code 27.3} is any 27.3.x.
 */
public final class VersionConstraint {
  private static final Pattern CLAUSE = Pattern.compile("\\s*(>=|<=|==|!=|>|<|=)?\\s*v?([0-9]+(?:\\.(?:[0-9]+|\\*|x))*)\\s*");
  private static final Pattern VERSION = Pattern.compile("v?([0-9]+(?:\\.[0-9]+)*)");

  private record Clause(String op, List<Integer> parts, boolean prefix) {}

  private final String text;
  private final List<Clause> clauses = new ArrayList<>();

  private VersionConstraint(String text) {
    this.text = text;
  }

  public static VersionConstraint parse(String text) {
    VersionConstraint constraint = new VersionConstraint(text.trim());
    for (String piece : text.split(",")) {
      Matcher m = CLAUSE.matcher(piece);
      if (!m.matches()) {
        throw new ConfigException(null, "'" + text + "' is not a version constraint (write >=24.0, 27.3.*, 20.10.24 or >=24, <28)");
      }
      String op = m.group(1) == null ? "=" : m.group(1);
      List<Integer> parts = new ArrayList<>();
      boolean wildcard = false;
      for (String part : m.group(2).split("\\.")) {
        if (part.equals("*") || part.equals("x")) {
          wildcard = true;
          break;
        }
        parts.add(Integer.parseInt(part));
      }
      boolean prefix = (op.equals("=") || op.equals("==")) && (m.group(1) == null || wildcard) || wildcard;
      constraint.clauses.add(new Clause(op.equals("==") ? "=" : op, parts, prefix));
    }
    return constraint;
  }

  /** The numeric part of a version as Docker or a package prints it: "20.10.24+dfsg1" is 20.10.24. */
  public static List<Integer> numbers(String version) {
    Matcher m = VERSION.matcher(version.trim());
    if (!m.lookingAt()) {
      throw new IllegalArgumentException("'" + version + "' is not a version");
    }
    List<Integer> parts = new ArrayList<>();
    for (String part : m.group(1).split("\\.")) {
      parts.add(Integer.parseInt(part));
    }
    return parts;
  }

  public boolean allows(String version) {
    List<Integer> have = numbers(version);
    for (Clause clause : clauses) {
      if (!allows(clause, have)) {
        return false;
      }
    }
    return true;
  }

  private static boolean allows(Clause clause, List<Integer> have) {
    if (clause.prefix() && (clause.op().equals("=") || clause.op().equals("!="))) {
      boolean match = have.size() >= clause.parts().size() && have.subList(0, clause.parts().size()).equals(clause.parts());
      return clause.op().equals("=") == match;
    }
    int c = compare(have, clause.parts());
    return switch (clause.op()) {
      case ">=" -> c >= 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      case "<" -> c < 0;
      case "!=" -> c != 0;
      default -> c == 0;
    };
  }

  static int compare(List<Integer> a, List<Integer> b) {
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      int x = i < a.size() ? a.get(i) : 0;
      int y = i < b.size() ? b.get(i) : 0;
      if (x != y) {
        return Integer.compare(x, y);
      }
    }
    return 0;
  }

  @Override
  public String toString() {
    return text;
  }
}
