package dev.deployer.template;

import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code when:} of a task: a variable's truthiness ({@code deploy_web}), its negation ({@code
 * !deploy_web} or {@code not deploy_web}), whether it is defined ({@code x is defined}, {@code x is
 * not defined}), or a template that renders to a true or false word.
 */
public final class Conditions {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*");
  private static final Pattern DEFINED = Pattern.compile("(\\S+)\\s+is\\s+(not\\s+)?defined");

  private final Templates templates;

  public Conditions(Templates templates) {
    this.templates = templates;
  }

  public boolean test(String condition, Map<String, Object> vars) {
    String text = condition.trim();
    Matcher defined = DEFINED.matcher(text);
    if (defined.matches()) {
      return templates.isDefined(defined.group(1), vars) == (defined.group(2) == null);
    }
    if (text.startsWith("!")) {
      return !test(text.substring(1), vars);
    }
    if (text.startsWith("not ")) {
      return !test(text.substring(4), vars);
    }
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return isTrue(text);
    }
    if (NAME.matcher(text).matches()) {
      return isTrue(templates.lookup(text, vars));
    }
    if (text.contains("{{")) {
      return isTrue(templates.render(text, vars));
    }
    throw new TemplateException(
        "cannot read condition '" + condition + "': write a variable name, '!name', 'name is defined' or a {{template}}");
  }

  /** YAML's and Ansible's idea of false: false, no, off, 0, empty, and nothing. */
  public static boolean isTrue(Object value) {
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Number n) {
      return n.doubleValue() != 0;
    }
    if (value instanceof Collection<?> c) {
      return !c.isEmpty();
    }
    if (value instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    String s = value.toString().trim().toLowerCase();
    return !(s.isEmpty() || s.equals("false") || s.equals("no") || s.equals("off") || s.equals("0")
        || s.equals("n") || s.equals("none") || s.equals("null"));
  }
}
