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
    boolean hidden) {

  public static final String HIDDEN = "(output hidden by no_log)";

  public TaskRecord {
    diff = hidden ? Map.of() : Map.copyOf(diff);
    commands = hidden ? List.of() : List.copyOf(commands);
    message = hidden ? HIDDEN : message;
  }
}
