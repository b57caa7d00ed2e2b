package dev.deployer.task;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a task found or did on one host.
 *
 * @param diff the fields that differ (what --check shows): name to before and after
 * @param data values a later task can read through {@code register} (stdout, rc, files, ...)
 */
public record TaskResult(Status status, String message, Map<String, Change> diff, Map<String, Object> data) {

  public TaskResult {
    diff = Collections.unmodifiableMap(new LinkedHashMap<>(diff));
    data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
  }

  public static TaskResult ok(String message) {
    return new TaskResult(Status.OK, message, Map.of(), Map.of());
  }

  public static TaskResult changed(String message) {
    return new TaskResult(Status.CHANGED, message, Map.of(), Map.of());
  }

  public static TaskResult failed(String message) {
    return new TaskResult(Status.FAILED, message, Map.of(), Map.of());
  }

  public static TaskResult skipped(String message) {
    return new TaskResult(Status.SKIPPED, message, Map.of(), Map.of());
  }

  public TaskResult withDiff(String field, Object before, Object after) {
    Map<String, Change> more = new LinkedHashMap<>(diff);
    more.put(field, new Change(before, after));
    return new TaskResult(status, message, more, data);
  }

  /** A command's output, registered as Ansible registers a command's: rc, stdout, stderr, stdout_lines. */
  public TaskResult withOutput(dev.deployer.ssh.CommandResult result) {
    return withData("rc", result.exitCode())
        .withData("stdout", result.stdout())
        .withData("stderr", result.stderr())
        .withData("stdout_lines", result.stdout().lines().toList());
  }

  public TaskResult withData(String key, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(data);
    more.put(key, value);
    return new TaskResult(status, message, diff, more);
  }

  public TaskResult withStatus(Status newStatus) {
    return new TaskResult(newStatus, message, diff, data);
  }

  public TaskResult withMessage(String newMessage) {
    return new TaskResult(status, newMessage, diff, data);
  }
}
