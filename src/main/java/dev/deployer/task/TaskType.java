package dev.deployer.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A kind of task as a playbook names it: what it does in a line, the arguments it takes (each
 * declared once, see {@link Arg}), and how to make the task from checked arguments. Playbooks,
 * generated tasks, the shell and the help all read this one declaration.
 *
 * @param freeForm the argument a bare value fills ({@code command: ls} fills {@code cmd}), or null
 * @param factory makes the task from arguments already checked against the declarations; it
 *     checks what involves several arguments (through {@link Args#error})
 */
public record TaskType(String name, String summary, String freeForm, Map<String, Arg> arguments,
    Function<Args, Task> factory) {

  public TaskType {
    arguments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    if (freeForm != null && !arguments.containsKey(freeForm)) {
      throw new IllegalArgumentException(name + ": free-form argument " + freeForm + " is not declared");
    }
  }

  /** Starts a declaration: {@code TaskType.named("docker_prune", "...").arg(...).create(DockerPruneTask::new)}. */
  public static Builder named(String name, String summary) {
    return new Builder(name, summary);
  }

  /** The names of the required arguments, in declaration order. */
  public List<String> required() {
    return arguments.values().stream().filter(Arg::mandatory).map(Arg::name).toList();
  }

  /** The help for this type: its name and summary, then a line per argument. */
  public List<String> help() {
    List<String> lines = new ArrayList<>();
    lines.add(name + ": " + summary);
    arguments.values().forEach(arg -> lines.add("    " + arg.describe()));
    return lines;
  }

  /** Collects a task type's arguments in the order the help lists them. */
  public static final class Builder {
    private final String name;
    private final String summary;
    private final Map<String, Arg> arguments = new LinkedHashMap<>();
    private String freeForm;

    private Builder(String name, String summary) {
      this.name = name;
      this.summary = summary;
    }

    public Builder arg(Arg arg) {
      arguments.put(arg.name(), arg);
      return this;
    }

    /** Several at once: a group that more than one task type takes. */
    public Builder args(java.util.List<Arg> args) {
      args.forEach(this::arg);
      return this;
    }

    /** The argument a bare value fills: {@code command: ls} is {@code command: {cmd: ls}}. */
    public Builder freeForm(Arg arg) {
      freeForm = arg.name();
      return arg(arg);
    }

    public TaskType create(Function<Args, Task> factory) {
      return new TaskType(name, summary, freeForm, arguments, factory);
    }
  }
}
