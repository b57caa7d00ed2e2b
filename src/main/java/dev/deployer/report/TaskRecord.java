package dev.deployer.report;

import dev.deployer.ssh.CommandResult;
import dev.deployer.task.Change;
import dev.deployer.task.Status;
import java.util.List;
import java.util.Map;

/**
 * How one task went on one host, as the report shows it.
 *
 * @param ignored the task failed but had {@code ignore_errors: true}
 * @param hidden {@code no_log: true}: message, diff and commands are not shown anywhere
 * @param data what the task registered (for a caller that reads a result, such as the server)
 */
public record TaskRecord(
    String play,
    String task,
    String host,
    Status status,
    String message,
    Map<String, Change> diff,
    List<CommandResult> commands,
    long millis,
    boolean ignored,
    boolean hidden,
    Map<String, Object> data) {

  public static final String HIDDEN = "(output hidden by no_log)";

  public TaskRecord {
    diff = hidden ? Map.of() : Map.copyOf(diff);
    commands = hidden ? List.of() : List.copyOf(commands);
    message = hidden ? HIDDEN : message;
    data = hidden ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
  }

  public TaskRecord(String play, String task, String host, Status status, String message, Map<String, Change> diff,
      List<CommandResult> commands, long millis, boolean ignored, boolean hidden) {
    this(play, task, host, status, message, diff, commands, millis, ignored, hidden, Map.of());
  }
}
