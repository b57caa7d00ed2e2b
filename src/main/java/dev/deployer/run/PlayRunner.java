package dev.deployer.run;

import dev.deployer.inventory.Host;
import dev.deployer.inventory.Inventory;
import dev.deployer.playbook.Play;
import dev.deployer.playbook.Playbook;
import dev.deployer.playbook.TaskSpec;
import dev.deployer.report.Reporter;
import dev.deployer.report.RunReport;
import dev.deployer.report.TaskRecord;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.Remote;
import dev.deployer.ssh.RemoteException;
import dev.deployer.ssh.UnreachableException;
import dev.deployer.task.Args;
import dev.deployer.task.Status;
import dev.deployer.task.Task;
import dev.deployer.task.TaskContext;
import dev.deployer.task.TaskResult;
import dev.deployer.template.Conditions;
import dev.deployer.template.TemplateException;
import dev.deployer.template.Templates;
import dev.deployer.yaml.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * Runs a playbook the way Ansible's linear strategy does: each task on every host of the play
 * (up to --forks at once) before the next task starts. A host whose task fails, or that cannot
 * be reached, drops out; the others carry on.
 */
public final class PlayRunner {
  private final Inventory inventory;
  private final RunOptions options;
  private final Reporter reporter;
  private final RemoteFactory remotes;
  private final Templates templates = new Templates();
  private final Conditions conditions = new Conditions(templates);
  private final ArgRenderer renderer = new ArgRenderer(templates);
  private final TaskContext.RunInfo runInfo;
  private final Map<String, HostRun> hostRuns = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean cancelled;

  public PlayRunner(Inventory inventory, RunOptions options, Reporter reporter, RemoteFactory remotes) {
    this.inventory = inventory;
    this.options = options;
    this.reporter = reporter;
    this.remotes = remotes;
    String runId = options.runId() != null ? options.runId() : java.util.UUID.randomUUID().toString().substring(0, 8);
    this.runInfo = new TaskContext.RunInfo(runId, operator(), options.breakLock(), options.staleRuns());
  }

  /** "user@machine", as deploy records and locks name whoever ran deployer. */
  static String operator() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname")).trim();
      } catch (java.io.IOException e) {
        host = "unknown";
      }
    }
    return System.getProperty("user.name") + "@" + host;
  }

  /** Runs every play and returns the report; the exit code is {@link RunReport#exitCode()}. */
  public RunReport run(Playbook playbook) {
    RunReport report = new RunReport();
    // Selection errors (a typo in --limit) surface before anything connects.
    Map<Play, List<Host>> selections = new LinkedHashMap<>();
    for (Play play : playbook.plays()) {
      selections.put(play, select(play));
    }
    ExecutorService pool = Executors.newFixedThreadPool(options.forks(), runnable -> {
      Thread thread = new Thread(runnable, "deployer-host");
      thread.setDaemon(true);
      return thread;
    });
    try {
      for (Play play : playbook.plays()) {
        if (cancelled) {
          break;
        }
        List<Host> hosts = selections.get(play);
        reporter.playStarted(play, hosts);
        List<HostRun> runs = new ArrayList<>();
        for (Host host : hosts) {
          report.include(host.name());
          runs.add(hostRuns.computeIfAbsent(host.name(), name -> new HostRun(host, remotes)));
        }
        runPlay(playbook, play, runs, report, pool);
      }
    } finally {
      pool.shutdownNow();
      hostRuns.values().forEach(HostRun::close);
    }
    reporter.finished(report);
    return report;
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
    Remote.interruptAll(hostRuns.values().stream().map(HostRun::opened).filter(java.util.Objects::nonNull).toList());
  }

  private List<Host> select(Play play) {
    List<Host> hosts = inventory.select(play.hosts());
    if (options.limit() != null) {
      List<Host> limit = inventory.select(options.limit());
      hosts = hosts.stream().filter(limit::contains).toList();
    }
    return hosts;
  }

  private void runPlay(Playbook playbook, Play play, List<HostRun> runs, RunReport report, ExecutorService pool) {
    List<List<HostRun>> batches = play.batches(runs);
    for (int b = 0; b < batches.size() && !cancelled; b++) {
      List<HostRun> batch = batches.get(b);
      runTasks(playbook, play, batch, report, pool);
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

  private void runTasks(Playbook playbook, Play play, List<HostRun> runs, RunReport report, ExecutorService pool) {
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
      List<Future<?>> pending = new ArrayList<>();
      for (HostRun run : active) {
        pending.add(pool.submit(() -> {
          for (TaskRecord record : runEach(playbook, play, task, run, active)) {
            report.add(record);
            reporter.taskFinished(record);
          }
        }));
      }
      for (Future<?> future : pending) {
        try {
          future.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
          throw new IllegalStateException("internal error: " + e.getCause(), e.getCause());
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

  /** Runs a task once, or once per loop item until one fails; a loop registers all results. */
  private List<TaskRecord> runEach(Playbook playbook, Play play, TaskSpec spec, HostRun run, List<HostRun> active) {
    if (spec.loop() == null) {
      return List.of(runOne(playbook, play, spec, run, active, null).record());
    }
    List<Object> items;
    try {
      items = LoopItems.resolve(spec.loop(), variables(playbook, play, run, active), templates);
    } catch (ConfigException | TemplateException e) {
      run.stop();
      String message = e instanceof ConfigException ? e.getMessage() : spec.loop().location() + ": " + e.getMessage();
      return List.of(new TaskRecord(play.name(), spec.displayName(), run.host.name(), Status.FAILED, message,
          Map.of(), List.of(), 0, false, false));
    }
    List<TaskRecord> records = new ArrayList<>();
    List<Map<String, Object>> results = new ArrayList<>();
    for (Object item : items) {
      Ran ran = runOne(playbook, play, spec, run, active, item);
      records.add(ran.record());
      results.add(ran.registered());
      if (run.stopped() || cancelled) {
        break;
      }
    }
    if (spec.register() != null) {
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("results", results);
      value.put("changed", records.stream().anyMatch(r -> r.status() == Status.CHANGED));
      value.put("failed", records.stream().anyMatch(r -> r.status() == Status.FAILED && !r.ignored()));
      run.register(spec.register(), value);
    }
    return records;
  }

  /** One run of a task: its report line and what it registers. */
  private record Ran(TaskRecord record, Map<String, Object> registered) {}

  private Ran runOne(Playbook playbook, Play play, TaskSpec spec, HostRun run, List<HostRun> active, Object item) {
    long started = System.nanoTime();
    RecordingRemote[] recorder = new RecordingRemote[1];
    TaskResult result;
    try {
      result = attempt(playbook, play, spec, run, active, recorder, item);
    } catch (UnreachableException e) {
      result = TaskResult.failed(e.getMessage()).withStatus(Status.UNREACHABLE);
    } catch (ConfigException | RemoteException | TemplateException e) {
      result = TaskResult.failed(e.getMessage());
    } catch (RuntimeException e) {
      result = TaskResult.failed("internal error: " + e);
    }
    boolean ignored = result.status() == Status.FAILED && spec.ignoreErrors();
    if (result.status() == Status.UNREACHABLE || (result.status() == Status.FAILED && !ignored)) {
      run.stop();
    }
    Map<String, Object> registered = registered(result);
    if (item != null) {
      registered.put("item", item);
    } else if (spec.register() != null) {
      run.register(spec.register(), registered);
    }
    List<CommandResult> commands = recorder[0] == null ? List.of() : recorder[0].commands();
    String name = item == null ? spec.displayName() : spec.displayName() + " (" + LoopItems.label(item) + ")";
    String message = item == null ? result.message() : LoopItems.label(item) + ": " + result.message();
    return new Ran(new TaskRecord(
        play.name(), name, run.host.name(), result.status(), message, result.diff(),
        commands, (System.nanoTime() - started) / 1_000_000, ignored, spec.noLog()), registered);
  }

  private TaskResult attempt(Playbook playbook, Play play, TaskSpec spec, HostRun run, List<HostRun> active,
      RecordingRemote[] recorder, Object item) {
    Map<String, Object> vars = variables(playbook, play, run, active);
    if (item != null) {
      vars.put("item", item);
    }
    for (String condition : spec.when()) {
      boolean holds;
      try {
        holds = conditions.test(condition, vars);
      } catch (TemplateException e) {
        throw new ConfigException(spec.location(), e.getMessage() + " (in when)");
      }
      if (!holds) {
        return TaskResult.skipped("when '" + condition + "' is false");
      }
    }
    Args args = renderer.render(spec, vars);
    Task task = spec.type().factory().apply(args);
    String host = run.host.name();
    recorder[0] = new RecordingRemote(run.remote(),
        options.verbose() && !spec.noLog() ? line -> reporter.output(host, line) : null);
    TaskResult result = task.run(new TaskContext(run.host.name(), recorder[0], options.check(), playbook.dir(), runInfo));
    return applyChangedWhen(spec, result);
  }

  private static TaskResult applyChangedWhen(TaskSpec spec, TaskResult result) {
    if (spec.changedWhen() == null || result.status() != Status.CHANGED && result.status() != Status.OK) {
      return result;
    }
    boolean changed;
    if (spec.changedWhen() instanceof Boolean b) {
      changed = b;
    } else {
      Object stdout = result.data().get("stdout");
      if (stdout == null) {
        // Under --check nothing ran, so there is no output to judge: keep the task's own answer.
        return result;
      }
      changed = Pattern.compile((String) spec.changedWhen(), Pattern.MULTILINE).matcher(stdout.toString()).find();
    }
    return result.withStatus(changed ? Status.CHANGED : Status.OK);
  }

  /**
   * A host's variables, lowest first: inventory (all, groups, host), play vars and vars_files,
   * registered results, facts, then -e, which wins over all.
   */
  private Map<String, Object> variables(Playbook playbook, Play play, HostRun run, List<HostRun> active) {
    Map<String, Object> vars = new LinkedHashMap<>(run.host.vars());
    vars.putAll(play.vars());
    vars.putAll(run.registered());
    vars.put("inventory_hostname", run.host.name());
    vars.put("inventory_hostname_short", run.host.name().split("\\.")[0]);
    vars.putIfAbsent("ansible_host", run.host.address());
    vars.put("group_names", run.host.groups());
    vars.put("groups", inventory.groups());
    vars.put("play_hosts", active.stream().map(r -> r.host.name()).toList());
    vars.put("playbook_dir", playbook.dir().toString());
    vars.put("check_mode", options.check());
    vars.putAll(options.extraVars());
    return vars;
  }

  private static Map<String, Object> registered(TaskResult result) {
    Map<String, Object> value = new LinkedHashMap<>(result.data());
    value.put("status", result.status().label());
    value.put("changed", result.status() == Status.CHANGED);
    value.put("failed", result.status() == Status.FAILED || result.status() == Status.UNREACHABLE);
    value.put("skipped", result.status() == Status.SKIPPED);
    value.put("msg", result.message());
    return value;
  }
}
