package dev.deployer.run;

import dev.deployer.inventory.Host;
import dev.deployer.inventory.Inventory;
import dev.deployer.playbook.Play;
import dev.deployer.playbook.Playbook;
import dev.deployer.playbook.TaskSpec;
import dev.deployer.report.Reporter;
import dev.deployer.report.RunReport;
import dev.deployer.report.TaskRecord;
import dev.deployer.task.Status;
import dev.deployer.task.TaskContext;
import dev.deployer.template.TemplateException;
import dev.deployer.template.Templates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Schedules a playbook the way Ansible's linear strategy does: each task on every host of the play
 * (up to --forks at once) before the next task starts, batch by batch when the play is {@code
 * serial}. A host whose task fails, or that cannot be reached, drops out; the others carry on.
 * What happens on one host is {@link TaskExecutor}'s.
 */
public final class PlayRunner {
  private final Inventory inventory;
  private final RunOptions options;
  private final Reporter reporter;
  private final RemoteFactory remotes;
  private final TaskContext.RunInfo runInfo;
  private final Templates templates = new Templates();
  private final Map<String, HostRun> hostRuns = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean cancelled;

  public PlayRunner(Inventory inventory, RunOptions options, Reporter reporter, RemoteFactory remotes) {
    this.inventory = inventory;
    this.options = options;
    this.reporter = reporter;
    this.remotes = remotes;
    String runId = options.runId() != null ? options.runId() : java.util.UUID.randomUUID().toString().substring(0, 8);
    this.runInfo = new TaskContext.RunInfo(runId, operator(), options.breakLock(), options.staleRuns(), options.lockWait(),
        new dev.deployer.task.RunMemo());
  }

  /** "user@machine", as deploy records and locks name whoever ran deployer. */
  static String operator() {
    return System.getProperty("user.name") + "@" + TaskContext.RunInfo.machine();
  }

  /** Runs every play and returns the report; the exit code is {@link RunReport#exitCode()}. */
  public RunReport run(Playbook playbook) {
    RunReport report = new RunReport();
    // Selection errors (a typo in --limit) surface before anything connects.
    Map<Play, List<Host>> selections = new LinkedHashMap<>();
    for (Play play : playbook.plays()) {
      selections.put(play, inventory.select(play.hosts(), options.limit()));
    }
    TaskExecutor executor = new TaskExecutor(inventory, options, reporter, runInfo, playbook, () -> cancelled);
    java.util.concurrent.ExecutorService connecting = java.util.concurrent.Executors.newFixedThreadPool(options.forks(), r -> {
      Thread thread = new Thread(r, "deployer-connect");
      thread.setDaemon(true);
      return thread;
    });
    try {
      for (Play written : playbook.plays()) {
        if (cancelled) {
          break;
        }
        List<Host> hosts = selections.get(written);
        Play play = named(written);
        reporter.playStarted(play, hosts);
        List<HostRun> runs = new ArrayList<>();
        for (Host host : hosts) {
          report.include(host.name());
          runs.add(hostRuns.computeIfAbsent(host.name(), name -> new HostRun(host, remotes)));
        }
        runBatches(executor, play, runs, report, connecting);
      }
    } finally {
      hostRuns.values().forEach(HostRun::close);
      connecting.shutdownNow();
    }
    reporter.finished(report);
    return report;
  }

  /**
   * The play with its name rendered as Ansible renders a play's name: with the play's vars and -e,
   * the variables all its hosts share. A name that needs more (a host's own) is shown as written.
   */
  private Play named(Play play) {
    if (!play.name().contains("{{")) {
      return play;
    }
    Map<String, Object> vars = new LinkedHashMap<>(play.vars());
    vars.putAll(options.extraVars());
    try {
      return play.named(templates.render(play.name(), vars));
    } catch (TemplateException e) {
      return play;
    }
  }

  /**
   * Ctrl-C: the commands running now are interrupted on their hosts and no further task starts.
   * A task already past its last command (a swap waiting for health) finishes, so nothing is left
   * half done; one whose command was interrupted fails as usual (a swap restores the old container).
   */
  public void cancel() {
    if (cancelled) {
      return;
    }
    cancelled = true;
    reporter.note("Cancelling: interrupting the commands running now; no further task starts.");
    Parallel.interruptAll(hostRuns.values().stream().map(HostRun::opened).filter(Objects::nonNull).toList());
  }

  private void runBatches(TaskExecutor executor, Play play, List<HostRun> runs, RunReport report,
      java.util.concurrent.ExecutorService connecting) {
    List<List<HostRun>> batches = play.batches(runs);
    for (int b = 0; b < batches.size() && !cancelled; b++) {
      List<HostRun> batch = batches.get(b);
      // Handshakes (at most --forks at once) overlap the work done here before each host's first
      // task; a batch not reached is never contacted.
      batch.forEach(run -> run.connectAhead(connecting));
      runTasks(executor, play, batch, report);
      long failed = batch.stream().filter(HostRun::stopped).count();
      boolean more = b + 1 < batches.size();
      if (more && failed * 100 > (long) play.maxFailPercentage() * batch.size()) {
        stopRollout(play, batches, b, report);
        return;
      }
    }
  }

  /** A failed batch ends the rollout: later batches are left as they were, and the report says so. */
  private void stopRollout(Play play, List<List<HostRun>> batches, int failedBatch, RunReport report) {
    List<String> done = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (int b = 0; b <= failedBatch; b++) {
      for (HostRun run : batches.get(b)) {
        (run.stopped() ? failed : done).add(run.host.name());
      }
    }
    List<String> untouched = new ArrayList<>();
    for (int b = failedBatch + 1; b < batches.size(); b++) {
      for (HostRun run : batches.get(b)) {
        untouched.add(run.host.name());
        TaskRecord record = new TaskRecord(play.name(), "(rollout stopped)", run.host.name(), Status.SKIPPED,
            "not reached: batch " + (failedBatch + 1) + " of " + batches.size() + " failed; this host was left as it was",
            Map.of(), List.of(), 0, false, false);
        report.add(record);
        reporter.taskFinished(record);
      }
    }
    reporter.note("Rollout stopped after batch " + (failedBatch + 1) + " of " + batches.size()
        + " (max_fail_percentage " + play.maxFailPercentage() + "). Done: " + names(done) + ". Failed: " + names(failed)
        + ". Not reached, left on their previous version: " + names(untouched) + ".");
  }

  private static String names(List<String> hosts) {
    return hosts.isEmpty() ? "none" : String.join(", ", hosts);
  }

  private void runTasks(TaskExecutor executor, Play play, List<HostRun> runs, RunReport report) {
    for (TaskSpec task : play.tasks()) {
      if (cancelled) {
        reporter.note("Cancelled before task '" + task.displayName() + "': it and the tasks after it did not run.");
        return;
      }
      if (!selectedByTags(task)) {
        continue;
      }
      List<HostRun> active = runs.stream().filter(run -> !run.stopped()).toList();
      if (active.isEmpty()) {
        return;
      }
      reporter.taskStarted(task);
      List<String> playHosts = active.stream().map(run -> run.host.name()).toList();
      for (Parallel.Outcome<HostRun, Void> outcome : Parallel.<HostRun, Void>each(active, options.forks(), run -> {
        for (TaskRecord record : executor.run(play, task, run, playHosts)) {
          report.add(record);
          reporter.taskFinished(record);
        }
        return null;
      })) {
        if (outcome.error() != null) {
          throw outcome.error(); // a defect in deployer, not a host's failure: the error handler shows it
        }
      }
    }
  }

  boolean selectedByTags(TaskSpec task) {
    if (task.tags().stream().anyMatch(options.skipTags()::contains)) {
      return false;
    }
    return options.tags().isEmpty()
        || task.tags().contains("always")
        || task.tags().stream().anyMatch(options.tags()::contains);
  }
}
