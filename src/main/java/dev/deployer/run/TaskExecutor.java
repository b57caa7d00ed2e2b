package dev.deployer.run;

import dev.deployer.inventory.Inventory;
import dev.deployer.playbook.Become;
import dev.deployer.playbook.Play;
import dev.deployer.playbook.Playbook;
import dev.deployer.playbook.TaskSpec;
import dev.deployer.report.Reporter;
import dev.deployer.report.TaskRecord;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.Remote;
import dev.deployer.ssh.RemoteException;
import dev.deployer.ssh.UnreachableException;
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
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Runs one task on one host: its variables, {@code when}, {@code loop}, rendering, the task
 * itself, {@code changed_when}, {@code register} and {@code no_log}. What goes wrong on the host
 * or in the task's arguments becomes a failed record, never an exception: a host drops out, the
 * run goes on.
 */
final class TaskExecutor {
  private final Inventory inventory;
  private final RunOptions options;
  private final Reporter reporter;
  private final TaskContext.RunInfo runInfo;
  private final Playbook playbook;
  private final BooleanSupplier cancelled;
  private final Templates templates = new Templates();
  private final Conditions conditions = new Conditions(templates);
  private final ArgRenderer renderer = new ArgRenderer(templates);

  /** @param cancelled true once Ctrl-C came: a loop starts no further item */
  TaskExecutor(Inventory inventory, RunOptions options, Reporter reporter, TaskContext.RunInfo runInfo,
      Playbook playbook, BooleanSupplier cancelled) {
    this.inventory = inventory;
    this.options = options;
    this.reporter = reporter;
    this.runInfo = runInfo;
    this.playbook = playbook;
    this.cancelled = cancelled;
  }

  /** Runs a task once, or once per loop item until one fails; a loop registers all results. */
  List<TaskRecord> run(Play play, TaskSpec spec, HostRun run, List<String> playHosts) {
    Map<String, Object> vars = variables(play, run, playHosts);
    if (spec.loop() == null) {
      return List.of(runOne(play, spec, run, vars, null).record());
    }
    List<Object> items;
    try {
      items = LoopItems.resolve(spec.loop(), vars, templates);
    } catch (ConfigException | TemplateException e) {
      run.stop();
      String message = e instanceof ConfigException ? e.getMessage() : spec.loop().location() + ": " + e.getMessage();
      return List.of(new TaskRecord(play.name(), spec.displayName(), run.host.name(), Status.FAILED, message,
          Map.of(), List.of(), 0, false, false));
    }
    List<TaskRecord> records = new ArrayList<>();
    List<Map<String, Object>> results = new ArrayList<>();
    for (Object item : items) {
      Ran ran = runOne(play, spec, run, vars, item);
      records.add(ran.record());
      results.add(ran.registered());
      if (run.stopped() || cancelled.getAsBoolean()) {
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

  private Ran runOne(Play play, TaskSpec spec, HostRun run, Map<String, Object> hostVars, Object item) {
    long started = System.nanoTime();
    Map<String, Object> vars = new LinkedHashMap<>(hostVars);
    if (item != null) {
      vars.put("item", item);
    }
    Attempt attempt = attempt(spec, spec.become().over(play.become()).over(Become.fromVars(vars)), vars, run);
    TaskResult result = attempt.result();
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
    String name = item == null ? spec.displayName() : spec.displayName() + " (" + LoopItems.label(item) + ")";
    String message = item == null ? result.message() : LoopItems.label(item) + ": " + result.message();
    return new Ran(new TaskRecord(play.name(), name, run.host.name(), result.status(), message, result.diff(),
        attempt.commands(), (System.nanoTime() - started) / 1_000_000, ignored, spec.noLog(), result.data()), registered);
  }

  /** How the task went on the host, and the commands it ran there. */
  private record Attempt(TaskResult result, List<CommandResult> commands) {}

  private Attempt attempt(TaskSpec spec, Become become, Map<String, Object> vars, HostRun run) {
    String host = run.host.name();
    RecordingRemote recorder = null;
    TaskResult result;
    try {
      String unmet = unmetCondition(spec, vars);
      if (unmet != null) {
        return new Attempt(TaskResult.skipped("when '" + unmet + "' is false"), List.of());
      }
      // Arguments are rendered before the host is contacted: a mistake in them is reported as such.
      Task task = spec.prepared() != null ? spec.prepared() : spec.type().factory().apply(renderer.render(spec, vars));
      Remote remote = new LazyRemote(() -> become.on() ? run.remote().become(become.userOrRoot(), Become.password(vars))
          : run.remote());
      recorder = new RecordingRemote(remote,
          options.verbose() && !spec.noLog() ? line -> reporter.output(host, line) : null);
      result = applyChangedWhen(spec, task.run(TaskContext.on(host, recorder, options.check(), playbook.dir(), runInfo)));
    } catch (UnreachableException e) {
      result = TaskResult.failed(e.getMessage()).withStatus(Status.UNREACHABLE);
    } catch (LazyRemote.NotConnected e) {
      result = e.unreachable() ? TaskResult.failed(e.getMessage()).withStatus(Status.UNREACHABLE)
          : TaskResult.failed(e.getMessage());
    } catch (ConfigException | RemoteException | TemplateException e) {
      result = TaskResult.failed(e.getMessage());
    } catch (RuntimeException e) {
      // A defect, not the host's doing: this host fails, the others go on, and -v shows the trace.
      reporter.defect(host, e);
      result = TaskResult.failed("internal error: " + e);
    }
    List<CommandResult> commands = recorder == null ? List.of() : recorder.commands();
    return new Attempt(withBecomeHint(result, become, run, commands), commands);
  }

  /**
   * A task that failed on "permission denied" as a user other than root, without become, most
   * likely needs root: the message says so and names become.
   */
  private static TaskResult withBecomeHint(TaskResult result, Become become, HostRun run, List<CommandResult> commands) {
    if (result.status() != Status.FAILED || become.on() || "root".equals(run.host.user())) {
      return result;
    }
    String said = result.message() + commands.stream().map(CommandResult::stderr).reduce("", String::concat);
    if (!said.toLowerCase(java.util.Locale.ROOT).contains("permission denied")) {
      return result;
    }
    return result.withMessage(result.message() + " (as " + run.host.user()
        + ", without become: if this needs root, add 'become: true' to the task or play, or pass --become)");
  }

  /** The first of the task's conditions that does not hold on this host, or null when all do. */
  private String unmetCondition(TaskSpec spec, Map<String, Object> vars) {
    for (String condition : spec.when()) {
      try {
        if (!conditions.test(condition, vars)) {
          return condition;
        }
      } catch (TemplateException e) {
        throw new ConfigException(spec.location(), e.getMessage() + " (in when)");
      }
    }
    return null;
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
   * A host's variables, lowest first: container_ip (read on the host when used), inventory (all,
   * groups, host) with the names Ansible gives a host, play vars and vars_files, registered
   * results, run facts, then -e, which wins over all.
   */
  private Map<String, Object> variables(Play play, HostRun run, List<String> playHosts) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("container_ip", new ContainerAddresses(run::remote, options.check(), run.host.name()));
    vars.putAll(run.host.variables());
    vars.putAll(play.vars());
    vars.putAll(run.registered());
    vars.put("groups", inventory.groups());
    vars.put("play_hosts", playHosts);
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
