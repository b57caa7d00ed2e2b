package dev.deployer.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.deployer.ssh.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the run as JSON for scripts and CI: {@code {"hosts": {"h1": {"ok": 1, ..., "tasks":
 * [...]}}}}. Commands, with their output, are included only when asked (-v), and never for no_log
 * tasks; what tasks register (their data) is never written, as it may hold secrets.
 */
public final class JsonReport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  public static void write(RunReport report, Path file, boolean withCommands, boolean check) throws IOException {
    Map<String, Object> hosts = new LinkedHashMap<>();
    for (HostSummary host : report.hosts().values()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("ok", host.ok());
      entry.put("changed", host.changed());
      entry.put("failed", host.failed());
      entry.put("skipped", host.skipped());
      entry.put("unreachable", host.unreachable());
      entry.put("ignored", host.ignored());
      entry.put("time_ms", host.millis());
      List<Object> tasks = new ArrayList<>();
      for (TaskRecord record : host.tasks()) {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("play", record.play());
        task.put("task", record.task());
        task.put("status", record.status().label());
        task.put("message", record.message());
        if (record.ignored()) {
          task.put("ignored", true);
        }
        if (!record.diff().isEmpty()) {
          Map<String, Object> diff = new LinkedHashMap<>();
          record.diff().forEach((field, change) -> diff.put(field, Map.of(
              "before", String.valueOf(change.before()), "after", String.valueOf(change.after()))));
          task.put("diff", diff);
        }
        task.put("time_ms", record.millis());
        if (withCommands) {
          List<Object> commands = new ArrayList<>();
          for (CommandResult command : record.commands()) {
            commands.add(Map.of(
                "command", command.command(), "rc", command.exitCode(),
                "stdout", command.stdout(), "stderr", command.stderr(), "time_ms", command.millis()));
          }
          task.put("commands", commands);
        }
        tasks.add(task);
      }
      entry.put("tasks", tasks);
      hosts.put(host.host(), entry);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("check", check);
    root.put("exit_code", report.exitCode());
    root.put("hosts", hosts);
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    JSON.writeValue(file.toFile(), root);
  }
}
