package dev.deployer.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.mustachejava.Binding;
import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.TemplateContext;
import com.github.mustachejava.codes.NotIterableCode;
import com.github.mustachejava.reflect.SimpleObjectHandler;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders Mustache templates against a host's variables, stricter than Mustache itself: a
 * missing variable is an error (never an empty string), nothing is HTML-escaped, and a variable
 * whose value is itself a template is rendered when used (as Ansible does). For a command line,
 * {@link #pieces} tells the text the user wrote from the values put in, so the SSH layer can
 * quote each value where it lands; {@code {{{raw}}}} puts a value in as text of the line. An
 * {@link Unsafe} value is put in as written, never rendered.
 *
 * <p>Docker's own Go templates are written with Mustache's set-delimiter tag: {@code
 * {{=<% %>=}}docker ps --format '{{.Names}}'} renders to {@code docker ps --format '{{.Names}}'}.
 */
public final class Templates {
  /** Part of a rendered template: text of the template itself, or a value put in. */
  public record Piece(String text, boolean value) {}

  /** Around each value {{name}} puts in, until {@link #pieces} splits them apart. */
  private static final char START = '\u0001';
  private static final char END = '\u0002';

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_NESTING = 20;

  private final Factory factory = new Factory();
  private final ThreadLocal<Deque<String>> expanding = ThreadLocal.withInitial(ArrayDeque::new);

  /** Renders one template. {@code vars} is the whole variable scope of one host. */
  public String render(String template, Map<String, Object> vars) {
    return template.contains("{{") ? unmark(marked(template, vars)) : template;
  }

  /** Renders a command line as the text the user wrote and the values put in, in order. */
  public List<Piece> pieces(String template, Map<String, Object> vars) {
    if (!template.contains("{{")) {
      return List.of(new Piece(template, false));
    }
    String text = marked(template, vars);
    List<Piece> pieces = new java.util.ArrayList<>();
    int at = 0;
    for (int start = text.indexOf(START); start >= 0; start = text.indexOf(START, at)) {
      int end = text.indexOf(END, start);
      if (start > at) {
        pieces.add(new Piece(text.substring(at, start), false));
      }
      pieces.add(new Piece(text.substring(start + 1, end), true));
      at = end + 1;
    }
    if (at < text.length()) {
      pieces.add(new Piece(text.substring(at), false));
    }
    return pieces;
  }

  private String marked(String template, Map<String, Object> vars) {
    Mustache mustache = factory.compiled(template);
    StringWriter out = new StringWriter();
    try {
      mustache.execute(out, List.of(vars)).flush();
    } catch (MustacheException e) {
      throw unwrap(e);
    } catch (java.io.IOException e) {
      throw new TemplateException(e.getMessage());
    }
    return out.toString();
  }

  /** A value keeps no marker characters of its own, so the markers always pair up. */
  private static String mark(String value) {
    return START + unmark(value) + END;
  }

  private static String unmark(String text) {
    return text.indexOf(START) < 0 && text.indexOf(END) < 0
        ? text
        : text.replace(String.valueOf(START), "").replace(String.valueOf(END), "");
  }

  /** Looks a (dotted) variable up as a template would, and fails the same way when it is missing. */
  public Object lookup(String name, Map<String, Object> vars) {
    return resolve(name, List.of(vars), false);
  }

  /** True when the (dotted) variable is defined, whatever its value. */
  public boolean isDefined(String name, Map<String, Object> vars) {
    return find(name, vars) != MISSING;
  }

  private static final Object MISSING = new Object();

  private static Object find(String name, Object scope) {
    Object current = scope;
    for (String part : name.split("\\.", -1)) {
      if (current instanceof Map<?, ?> map && map.containsKey(part)) {
        current = map.get(part);
      } else if (current instanceof List<?> list && part.matches("\\d+") && Integer.parseInt(part) < list.size()) {
        current = list.get(Integer.parseInt(part));
      } else {
        return MISSING;
      }
    }
    return current;
  }

  private Object resolve(String name, List<Object> scopes, boolean missingIsFalse) {
    if (name.equals(".")) {
      return scopes.get(scopes.size() - 1);
    }
    for (int i = scopes.size() - 1; i >= 0; i--) {
      Object found = find(name, scopes.get(i));
      if (found != MISSING) {
        return expand(name, found, scopes.get(0));
      }
    }
    if (missingIsFalse) {
      return null;
    }
    Deque<String> chain = expanding.get();
    throw new TemplateException(
        "variable '" + name + "' is not defined"
            + (chain.isEmpty() ? "" : " (needed by variable '" + chain.peek() + "')"));
  }

  /** A variable whose value is a template is rendered where it is used, against the same scope. */
  @SuppressWarnings("unchecked")
  private Object expand(String name, Object value, Object root) {
    if (!(value instanceof String text) || !text.contains("{{") || !(root instanceof Map)) {
      return value;
    }
    Deque<String> chain = expanding.get();
    if (chain.contains(name) || chain.size() >= MAX_NESTING) {
      throw new TemplateException("variable '" + name + "' refers to itself (through " + String.join(" -> ", chain) + ")");
    }
    chain.push(name);
    try {
      return render(text, (Map<String, Object>) root);
    } finally {
      chain.pop();
    }
  }

  private static TemplateException unwrap(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TemplateException te) {
        return te;
      }
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return new TemplateException("template error: " + message.replaceAll("\\s+", " "));
  }

  static String stringify(Object value) {
    if (value instanceof Map || value instanceof Collection) {
      try {
        return JSON.writeValueAsString(Unsafe.strip(value));
      } catch (JsonProcessingException e) {
        return String.valueOf(value);
      }
    }
    return String.valueOf(value);
  }

  /** Mustache wired for deployer: strict lookups, no HTML escaping, no partials from disk. */
  private final class Factory extends DefaultMustacheFactory {
    private final Map<String, Mustache> cache = new ConcurrentHashMap<>();

    Factory() {
      setObjectHandler(new StrictObjectHandler());
    }

    Mustache compiled(String template) {
      return cache.computeIfAbsent(template, text -> {
        try {
          return compile(new StringReader(text), "template");
        } catch (MustacheException e) {
          throw new TemplateException("bad template: " + e.getMessage().replaceAll("\\s+", " "));
        }
      });
    }

    @Override
    public void encode(String value, Writer writer) {
      try {
        writer.write(mark(value));
      } catch (java.io.IOException e) {
        throw new MustacheException(e);
      }
    }

    @Override
    public java.io.Reader getReader(String resourceName) {
      throw new TemplateException("partials ({{> " + resourceName + "}}) are not supported");
    }
  }

  private final class StrictObjectHandler extends SimpleObjectHandler {
    @Override
    public Binding createBinding(String name, TemplateContext tc, Code code) {
      // {{^name}} is how a template asks "is this unset?", so only there may a name be missing.
      boolean missingIsFalse = code instanceof NotIterableCode;
      return scopes -> resolve(name, scopes, missingIsFalse);
    }

    @Override
    public String stringify(Object object) {
      return Templates.stringify(object);
    }
  }
}
