package dev.deployer.task;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A kind of task as a playbook names it: its arguments (so a misspelt one is caught when the
 * playbook is read) and how to make the task from them.
 *
 * @param freeForm the argument a bare value fills ({@code command: ls} fills {@code cmd}), or null
 */
public record TaskType(
    String name,
    String freeForm,
    Map<String, ArgKind> arguments,
    Set<String> required,
    Function<Args, Task> factory) {

  public TaskType {
    arguments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    required = Set.copyOf(required);
  }
}
