package dev.deployer.shell;

import dev.deployer.inventory.Host;
import dev.deployer.inventory.Inventory;
import dev.deployer.playbook.Playbook;
import dev.deployer.playbook.ServicesFile;
import dev.deployer.report.ConsoleReporter;
import dev.deployer.report.RunReport;
import dev.deployer.run.PlayRunner;
import dev.deployer.run.RemoteFactory;
import dev.deployer.run.RemotePool;
import dev.deployer.run.RunOptions;
import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.Release;
import dev.deployer.run.Parallel;
import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.Remote;
import dev.deployer.ssh.RemoteException;
import dev.deployer.yaml.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * What the shell remembers between commands: the inventory, the hosts in use, the open
 * connections, and the command running now (so Ctrl-C can stop it).
 */
final class ShellSession implements AutoCloseable {
  private final Inventory inventory;
  private final Shell.Settings settings;
  private final RemotePool pool;
  private final PrintWriter out;
  private final PrintWriter err;
  private String target;
  private volatile PlayRunner running;
  private volatile boolean cancelled;
  private volatile boolean lineCancelled;
  private boolean exitRequested;
  private Supplier<List<String>> typedLines = List::of;

  ShellSession(Inventory inventory, String target, Shell.Settings settings, RemoteFactory connector, PrintWriter out,
      PrintWriter err) {
    this.inventory = inventory;
    this.settings = settings;
    this.pool = new RemotePool(connector);
    this.out = out;
    this.err = err;
    use(target == null ? "all" : target);
  }

  Inventory inventory() {
    return inventory;
  }

  Shell.Settings settings() {
    return settings;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  String target() {
    return target;
  }

  /** The hosts the current pattern selects, in inventory order. */
  List<Host> hosts() {
    return inventory.select(target);
  }

  /** Narrows (or widens) the hosts later commands work on; a pattern that selects nothing is refused. */
  void use(String pattern) {
    if (inventory.select(pattern).isEmpty()) {
      throw new ConfigException(null, "'" + pattern + "' selects no hosts");
    }
    target = pattern;
  }

  /** The prompt: the pattern in use and how many hosts it matches. */
  String prompt() {
    return "deployer [" + target + ": " + hosts().size() + "]> ";
  }

  /** The services file, or an error that says how to name one. */
  ServicesFile services() {
    Path file = settings.servicesFile();
    if (!Files.exists(file)) {
      throw new ConfigException(null, "no services file " + file + " (start the shell with --services FILE)");
    }
    return ServicesFile.load(file);
  }

  /** The names given with -e when the shell started: a unit command counts them as given params. */
  java.util.Set<String> extraVarNames() {
    return settings.extraVars().keySet();
  }

  /** The unit files, read again each time so an edit shows at once. */
  Map<String, dev.deployer.unit.Unit> units() {
    return dev.deployer.unit.UnitLoader.loadAll(settings.unitsDir());
  }

  boolean hasServicesFile() {
    return Files.exists(settings.servicesFile());
  }

  /**
   * Runs a playbook on the hosts in use, with the same live lines and recap as {@code play};
   * Ctrl-C cancels it. Returns the exit code.
   */
  int runPlaybook(Playbook playbook, boolean check, List<String> tags, Map<String, Object> vars) {
    return runPlaybook(playbook, check, tags, vars, false);
  }

  /** @param showOutput print the remote commands' output as it comes, as for an ad hoc task */
  int runPlaybook(Playbook playbook, boolean check, List<String> tags, Map<String, Object> vars, boolean showOutput) {
    Map<String, Object> merged = new LinkedHashMap<>(vars);
    merged.putAll(settings.extraVars());
    RunOptions options = new RunOptions(check, target, tags, List.of(), merged, settings.forks(),
        settings.verbose() || showOutput, settings.breakLock());
    ConsoleReporter console = new ConsoleReporter(out, settings.color(), settings.verbose(), check);
    PlayRunner runner = new PlayRunner(inventory, options, console, pool);
    running = runner;
    try {
      RunReport report = runner.run(playbook);
      return report.exitCode();
    } finally {
      running = null;
      out.flush();
    }
  }

  /** One host's answer to {@link #onHosts}: a value, or why there is none. */
  record HostResult<T>(Host host, T value, String error) {}

  /**
   * Does the same thing on every host in use, up to forks at once, over the kept connections;
   * answers in inventory order. A host that fails gets its error, the others their values.
   */
  <T> List<HostResult<T>> onHosts(BiFunction<Host, Remote, T> work) {
    return onHosts(hosts(), work);
  }

  <T> List<HostResult<T>> onHosts(List<Host> hosts, BiFunction<Host, Remote, T> work) {
    cancelled = false;
    List<HostResult<T>> results = new ArrayList<>();
    for (Parallel.Outcome<Host, T> outcome : Parallel.<Host, T>each(hosts, settings.forks(),
        host -> work.apply(host, pool.connect(host)))) {
      RuntimeException error = outcome.error();
      String message = error == null ? null
          : error instanceof RemoteException || error instanceof ConfigException ? error.getMessage() : error.toString();
      results.add(new HostResult<>(outcome.item(), outcome.value(), message));
    }
    return results;
  }

  /** True when Ctrl-C stopped the last {@link #onHosts} (so its interrupted commands are not errors). */
  boolean wasCancelled() {
    return cancelled;
  }

  /** Ctrl-C: interrupts the command running now on every host; the connections stay open. */
  void cancel() {
    lineCancelled = true;
    PlayRunner runner = running;
    if (runner != null) {
      runner.cancel();
    } else {
      cancelled = true;
      pool.interruptAll();
    }
  }

  /** The services of the containers swap_container started, from the label it sets on each. */
  private static final Command SERVICES_ON_HOSTS = DockerCommands.serviceLabels(Release.SERVICE);
  private static final long SERVICES_FRESH_NANOS = TimeUnit.SECONDS.toNanos(30);
  private Set<String> servicesSeen = Set.of();
  private long servicesSeenAt;
  private String servicesSeenFor;

  /**
   * The services deployed on the hosts in use (from their containers' labels), asked at most every
   * 30 seconds, as Tab asks often; a host that does not answer adds none.
   */
  synchronized Set<String> servicesOnHosts() {
    if (!target.equals(servicesSeenFor) || System.nanoTime() - servicesSeenAt > SERVICES_FRESH_NANOS) {
      Set<String> found = new TreeSet<>();
      for (HostResult<CommandResult> answer : onHosts((host, remote) -> remote.run(SERVICES_ON_HOSTS))) {
        if (answer.error() == null && answer.value().exitCode() == 0) {
          answer.value().stdout().lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(found::add);
        }
      }
      servicesSeen = found;
      servicesSeenAt = System.nanoTime();
      servicesSeenFor = target;
    }
    return servicesSeen;
  }

  /** Starts a new line of commands, which Ctrl-C has not cancelled yet. */
  void newLine() {
    lineCancelled = false;
  }

  /** True when Ctrl-C came during this line: the rest of it does not run, as in sh. */
  boolean lineCancelled() {
    return lineCancelled;
  }

  void requestExit() {
    exitRequested = true;
  }

  boolean exitRequested() {
    return exitRequested;
  }

  /** Where {@code history} reads the lines typed so far. */
  void typedLines(Supplier<List<String>> source) {
    typedLines = source;
  }

  List<String> typedLines() {
    return typedLines.get();
  }

  @Override
  public void close() {
    pool.close();
  }
}
