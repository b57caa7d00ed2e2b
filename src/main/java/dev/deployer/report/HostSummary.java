package dev.deployer.report;

import dev.deployer.task.Status;
import java.util.List;

/** One host's counts for the recap, and its tasks in the order they ran. */
public record HostSummary(
    String host, int ok, int changed, int failed, int skipped, int unreachable, int ignored, long millis,
    List<TaskRecord> tasks) {

  static HostSummary empty(String host) {
    return new HostSummary(host, 0, 0, 0, 0, 0, 0, 0, List.of());
  }

  HostSummary plus(TaskRecord record) {
    List<TaskRecord> more = new java.util.ArrayList<>(tasks);
    more.add(record);
    Status s = record.status();
    boolean ignoredFailure = s == Status.FAILED && record.ignored();
    return new HostSummary(
        host,
        ok + (s == Status.OK ? 1 : 0),
        changed + (s == Status.CHANGED ? 1 : 0),
        failed + (s == Status.FAILED && !ignoredFailure ? 1 : 0),
        skipped + (s == Status.SKIPPED ? 1 : 0),
        unreachable + (s == Status.UNREACHABLE ? 1 : 0),
        ignored + (ignoredFailure ? 1 : 0),
        millis + record.millis(),
        List.copyOf(more));
  }
}
