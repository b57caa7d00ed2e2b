package dev.deployer.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text that is a value and never a template: what a webhook or an upload sent, or what a file
 * marks {@code !unsafe} (as Ansible does). Put into a template it comes out as written, with
 * any {@code {{...}}} in it left as text.
 */
public record Unsafe(String text) {
  public Unsafe {
    java.util.Objects.requireNonNull(text);
  }

  @Override
  public String toString() {
    return text;
  }

  /** The value with every Unsafe in it, however deep, turned into its plain text. */
  public static Object strip(Object value) {
    if (value instanceof Unsafe unsafe) {
      return unsafe.text();
    }
    if (value instanceof List<?> list) {
      List<Object> items = new ArrayList<>();
      list.forEach(item -> items.add(strip(item)));
      return items;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, strip(v)));
      return out;
    }
    return value;
  }
}
