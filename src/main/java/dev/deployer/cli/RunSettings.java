package dev.deployer.cli;

import dev.deployer.inventory.Inventory;
import dev.deployer.inventory.InventoryLoader;
import dev.deployer.persist.KeptConnections;
import dev.deployer.playbook.Playbook;
import dev.deployer.report.ConsoleReporter;
import dev.deployer.report.JsonReport;
import dev.deployer.report.Profile;
import dev.deployer.report.RunReport;
import dev.deployer.run.PlayRunner;
import dev.deployer.run.RemoteFactory;
import dev.deployer.run.RunOptions;
import dev.deployer.ssh.Remote;
import dev.deployer.ssh.SshConnector;
import dev.deployer.ssh.SshOptions;
import dev.deployer.ssh.HostKeyChecking;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every command that runs tasks on hosts shares, and how such a run goes. */
final class RunSettings {
  @Option(names = {"-i", "--inventory"}, paramLabel = "FILE",
      description = "Inventory YAML file (default: $DEPLOYER_INVENTORY, else ./hosts.yml).")
  Path inventory;

  @Option(names = {"-C", "--check"}, description = "Read every host and report what would change; change nothing.")
  boolean check;

  @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN",
      description = "Only these hosts: a host, a group, a,b, web:!web3, web*.")
  String limit;

  @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
      description = "name=value, @file.yml or {\"name\": value}; beats every other variable. Repeatable.")
  List<String> extraVars = new ArrayList<>();

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  int forks;

  @Option(names = {"-f", "--forks"}, paramLabel = "N", defaultValue = "10",
      description = "Hosts worked on at once (default: ${DEFAULT-VALUE}).")
  void forks(int value) {
    if (value < 1) {
      throw new ParameterException(mixee.commandLine(), "--forks must be at least 1, not " + value);
    }
    forks = value;
  }

  @Option(names = {"-v", "--verbose"}, description = "Show the commands each task ran, their output, and diffs.")
  boolean verbose;

  @Option(names = "--host-key-checking", paramLabel = "MODE", defaultValue = "strict",
      converter = HostKeyCheckingConverter.class,
      description = "strict (default): only hosts in known_hosts; accept-new: add unknown hosts,"
          + " refuse changed keys; off: no checks (throwaway hosts only).")
  HostKeyChecking hostKeyChecking;

  @Option(names = "--known-hosts", paramLabel = "FILE",
      description = "known_hosts file for hosts whose inventory names none (default: ~/.ssh/known_hosts).")
  Path knownHosts;

  @Option(names = "--ssh-config", paramLabel = "FILE",
      description = "An OpenSSH config file for Host entries (HostName, User, Port, IdentityFile, ProxyJump...)"
          + " (default: ~/.ssh/config when there is one). The inventory's settings win over it.")
  Path sshConfig;

  @Option(names = "--ask-key-passphrase",
      description = "Ask once for the passphrase of encrypted key files (or set DEPLOYER_KEY_PASSPHRASE)."
          + " Keys in ssh-agent ($SSH_AUTH_SOCK) need none.")
  boolean askKeyPassphrase;

  @Option(names = {"-b", "--become"},
      description = "Run tasks as another user (root unless --become-user) with sudo, as Ansible's become;"
          + " a play's or task's become: keyword wins over this.")
  boolean become;

  @Option(names = "--become-user", paramLabel = "USER", description = "Whom --become runs tasks as (default: root).")
  String becomeUser;

  @Option(names = {"-K", "--ask-become-pass"},
      description = "Ask once for sudo's password (or set DEPLOYER_BECOME_PASS); without it, sudo must not ask (NOPASSWD).")
  boolean askBecomePass;

  @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "Give up connecting to a host after this long (default: ${DEFAULT-VALUE}).")
  int connectTimeout;

  @Option(names = "--command-timeout", paramLabel = "SECONDS", defaultValue = "1800",
      description = "Fail a remote command that runs longer (default: ${DEFAULT-VALUE}).")
  int commandTimeout;

  @Option(names = "--profile", description = "After the recap, show where the time went: start-up, each host's"
      + " connection, and each task's time on the host and here.")
  boolean profile;

  @Option(names = "--report-json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
  Path reportJson;

  @Option(names = "--break-lock",
      description = "Take over a deploy lock whose holder has missed heartbeats, without waiting for it to go stale;"
          + " never one whose holder is alive.")
  boolean breakLock;

  @Option(names = "--lock-wait", paramLabel = "SECONDS", defaultValue = "60",
      description = "How long to wait for a deploy lock another live run holds (default: ${DEFAULT-VALUE}).")
  int lockWait;

  /** Whether the user named an inventory, with -i or $DEPLOYER_INVENTORY, or left one at ./hosts.yml. */
  boolean namesInventory() {
    return inventory != null || System.getenv("DEPLOYER_INVENTORY") != null || java.nio.file.Files.exists(Path.of("hosts.yml"));
  }

  Inventory loadInventory() {
    if (inventory != null) {
      return InventoryLoader.load(inventory);
    }
    String fromEnv = System.getenv("DEPLOYER_INVENTORY");
    return InventoryLoader.load(Path.of(fromEnv != null ? fromEnv : "hosts.yml"));
  }

  private String becomePassword() {
    if (!askBecomePass) {
      String fromEnv = System.getenv("DEPLOYER_BECOME_PASS");
      return fromEnv == null || fromEnv.isEmpty() ? null : fromEnv;
    }
    java.io.Console console = System.console();
    if (console == null) {
      throw new dev.deployer.yaml.ConfigException(null, "--ask-become-pass needs a terminal; in CI, set DEPLOYER_BECOME_PASS");
    }
    char[] password = console.readPassword("BECOME password: ");
    return password == null ? null : new String(password);
  }

  SshOptions sshOptions() {
    SshOptions options = SshOptions.of(hostKeyChecking, knownHosts, Duration.ofSeconds(connectTimeout),
        Duration.ofSeconds(commandTimeout));
    if (sshConfig != null) {
      if (!java.nio.file.Files.isReadable(sshConfig)) {
        throw new dev.deployer.yaml.ConfigException(dev.deployer.yaml.Location.of(sshConfig.toString()), "file not found");
      }
      options = options.withSshConfig(sshConfig);
    }
    if (askKeyPassphrase) {
      java.io.Console console = System.console();
      if (console == null) {
        throw new dev.deployer.yaml.ConfigException(null,
            "--ask-key-passphrase needs a terminal; in CI, set DEPLOYER_KEY_PASSPHRASE or use ssh-agent");
      }
      char[] passphrase = console.readPassword("Key passphrase: ");
      options = options.withKeyPassphrase(passphrase == null ? null : new String(passphrase));
    }
    return options;
  }

  /** What a command adds to the run: a host pattern to stay within, and variables under -e. */
  record Scope(String hosts, java.util.Map<String, Object> vars) {
    static Scope none() {
      return new Scope(null, java.util.Map.of());
    }
  }

  RunOptions options(List<String> tags, List<String> skipTags, Scope scope) {
    java.util.Map<String, Object> vars = new java.util.LinkedHashMap<>(scope.vars());
    // As Ansible does: the become options are these variables, so -e and keywords can say otherwise.
    if (become) {
      vars.put("ansible_become", true);
    }
    if (becomeUser != null) {
      vars.put("ansible_become_user", becomeUser);
    }
    String becomePass = becomePassword();
    if (becomePass != null) {
      vars.put("ansible_become_pass", becomePass);
    }
    vars.putAll(ExtraVars.parse(extraVars));
    String hosts = scope.hosts() == null ? limit : limit == null ? scope.hosts() : scope.hosts() + ":&" + limit;
    return new RunOptions(check, hosts, tags, skipTags, vars, forks, verbose, breakLock, null, java.util.Set.of(),
        Duration.ofSeconds(Math.max(0, lockWait)));
  }

  int run(CommandSpec spec, Supplier<Playbook> playbook, List<String> tags, List<String> skipTags) {
    return run(spec, this::loadInventory, playbook, tags, skipTags, Scope::none);
  }

  /**
   * Runs a playbook and returns the exit code. Everything the user wrote (inventory, playbook,
   * options) is read before any host is contacted; a mistake in it ends the command through the
   * one error handler (see {@link Main}).
   */
  int run(CommandSpec spec, Supplier<Inventory> inventorySource, Supplier<Playbook> playbook, List<String> tags,
      List<String> skipTags, Supplier<Scope> scope) {
    Inventory hosts = inventorySource.get();
    Playbook book = playbook.get();
    RunOptions options = options(tags, skipTags, scope.get());
    PrintWriter out = spec.commandLine().getOut();
    ConsoleReporter console = new ConsoleReporter(out, ConsoleReporter.colorWanted(), verbose, check);
    if (check) {
      out.println("Check mode: hosts are read, nothing is changed.");
    }
    SshOptions ssh = sshOptions();
    SshConnector connector = new SshConnector(ssh);
    Object kept = KeptConnections.options(ssh);
    RemoteFactory connections = KeptConnections.forRun(kept, connector::connect);
    RemoteFactory remotes = connections;
    Profile timing = profile ? new Profile() : null;
    if (timing != null) {
      timing.runStarts();
      remotes = host -> {
        boolean reused = KeptConnections.kept(kept, host);
        long started = System.nanoTime();
        Remote remote = connections.connect(host);
        timing.connected(host.name(), (System.nanoTime() - started) / 1_000_000, reused);
        return remote;
      };
    }
    RunReport report = new PlayRunner(hosts, options, console, remotes).run(book);
    if (timing != null) {
      timing.print(out, report);
    }
    if (reportJson != null) {
      try {
        JsonReport.write(report, reportJson, verbose, check);
      } catch (IOException e) {
        spec.commandLine().getErr().println("error: cannot write " + reportJson + ": " + e.getMessage());
      }
    }
    return report.exitCode();
  }
}
