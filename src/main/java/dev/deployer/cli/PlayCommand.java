package dev.deployer.cli;

import dev.deployer.inventory.Host;
import dev.deployer.inventory.Inventory;
import dev.deployer.inventory.InventoryLoader;
import dev.deployer.playbook.Play;
import dev.deployer.playbook.Playbook;
import dev.deployer.playbook.PlaybookLoader;
import dev.deployer.report.ConsoleReporter;
import dev.deployer.report.JsonReport;
import dev.deployer.report.RunReport;
import dev.deployer.run.PlayRunner;
import dev.deployer.run.RunOptions;
import dev.deployer.ssh.HostKeyChecking;
import dev.deployer.ssh.SshConnector;
import dev.deployer.ssh.SshOptions;
import dev.deployer.task.TaskTypes;
import dev.deployer.yaml.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code deployer play}: runs a playbook against an inventory. */
@Command(
    name = "play",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpWidth = 110,
    description = {
      "Runs a playbook's plays on the hosts they name, task by task across hosts, and prints",
      "a line per host as each task finishes, then a recap.",
      "",
      "A playbook is a list of plays. Each play has hosts (a pattern), optional vars and",
      "vars_files, and tasks. Each task has a name, one task type with its arguments, and",
      "optionally tags, when, register, ignore_errors, changed_when, no_log.",
      "",
      "Task types:",
      "  command       run a command (a string is a shell line, a list is argv); creates:, removes:, chdir:",
      "  sync_dir      make a remote dir equal a local one by content hash; src, dest, delete, require, exclude",
      "  docker_build  build an image on the host only when its context changed; context, image,",
      "                dockerfile, build_args, labels",
      "",
      "Every string is a Mustache template rendered per host: {{var}}, {{group.key}}, {{#list}}..{{/list}}.",
      "A missing variable is an error. In a command line each {{value}} is shell-quoted where it",
      "lands; {{{value}}} inserts it as it is. For Docker's own Go templates, switch delimiters:",
      "  command: \"{{=<%% %%>=}}docker ps --format '{{.Names}}' --filter name=<%% app %%>\"",
      "",
      "Exit codes: 0 all hosts succeeded, 1 usage or playbook error, 2 a task failed,",
      "3 a host was unreachable."
    },
    footer = {
      "",
      "Example playbook:",
      "  - name: Build the app",
      "    hosts: web",
      "    vars: {app_dir: /opt/hello}",
      "    tasks:",
      "      - name: Copy the sources",
      "        sync_dir: {src: apps/hello, dest: \"{{app_dir}}\", delete: true, require: Dockerfile}",
      "      - name: Build the image",
      "        docker_build: {context: \"{{app_dir}}\", image: \"hello:{{app_version}}\"}",
      "",
      "Examples:",
      "  deployer play playbooks/demo.yml -i hosts.yml --check",
      "  deployer play deploy.yml -i hosts.yml --limit 'web:!web3' -e app_version=1.4.2 --forks 20 -v",
    })
public final class PlayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook YAML file.")
  Path playbook;

  @Option(names = {"-i", "--inventory"}, paramLabel = "FILE",
      description = "Inventory YAML file (default: $DEPLOYER_INVENTORY, else ./hosts.yml).")
  Path inventory;

  @Option(names = {"-C", "--check"}, description = "Read every host and report what would change; change nothing.")
  boolean check;

  @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN",
      description = "Only these hosts: a host, a group, a,b, web:!web3, web*.")
  String limit;

  @Option(names = {"-t", "--tags"}, split = ",", paramLabel = "TAG",
      description = "Only tasks with one of these tags (tasks tagged 'always' run too).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--skip-tags", split = ",", paramLabel = "TAG", description = "Skip tasks with one of these tags.")
  List<String> skipTags = new ArrayList<>();

  @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
      description = "name=value, @file.yml or {\"name\": value}; beats every other variable. Repeatable.")
  List<String> extraVars = new ArrayList<>();

  @Option(names = {"-f", "--forks"}, paramLabel = "N", defaultValue = "10",
      description = "Hosts worked on at once (default: ${DEFAULT-VALUE}).")
  int forks;

  @Option(names = {"-v", "--verbose"}, description = "Show the commands each task ran, their output, and diffs.")
  boolean verbose;

  @Option(names = "--host-key-checking", paramLabel = "MODE", defaultValue = "strict",
      description = "strict (default): only hosts in known_hosts; accept-new: add unknown hosts,"
          + " refuse changed keys; off: no checks (throwaway hosts only).")
  String hostKeyChecking;

  @Option(names = "--known-hosts", paramLabel = "FILE",
      description = "known_hosts file for hosts whose inventory names none (default: ~/.ssh/known_hosts).")
  Path knownHosts;

  @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "Give up connecting to a host after this long (default: ${DEFAULT-VALUE}).")
  int connectTimeout;

  @Option(names = "--command-timeout", paramLabel = "SECONDS", defaultValue = "1800",
      description = "Fail a remote command that runs longer (default: ${DEFAULT-VALUE}).")
  int commandTimeout;

  @Option(names = "--report-json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
  Path reportJson;

  @Option(names = "--break-lock",
      description = "Take over deploy locks that another run left behind (check it is gone first).")
  boolean breakLock;

  @Option(names = "--list-hosts", description = "Print the hosts each play would run on, and stop.")
  boolean listHosts;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      return execute();
    } catch (ConfigException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      if (verbose) {
        e.printStackTrace(err);
      }
      err.flush();
      return RunReport.EXIT_USAGE;
    }
  }

  private int execute() {
    if (forks < 1) {
      throw new IllegalArgumentException("--forks must be at least 1");
    }
    Inventory hosts = InventoryLoader.load(inventoryFile());
    Playbook book = new PlaybookLoader(TaskTypes.builtin()).load(playbook);
    RunOptions options = new RunOptions(
        check, limit, tags, skipTags, ExtraVars.parse(extraVars), forks, verbose, breakLock);
    if (listHosts) {
      return printHosts(hosts, book);
    }
    SshOptions defaults = SshOptions.defaults();
    SshOptions ssh = new SshOptions(
        HostKeyChecking.parse(hostKeyChecking),
        knownHosts != null ? knownHosts : defaults.defaultKnownHosts(),
        Duration.ofSeconds(connectTimeout),
        Duration.ofSeconds(commandTimeout));
    PrintWriter out = spec.commandLine().getOut();
    ConsoleReporter console = new ConsoleReporter(out, ConsoleReporter.colorWanted(), verbose, check);
    if (check) {
      out.println("Check mode: hosts are read, nothing is changed.");
    }
    RunReport report = new PlayRunner(hosts, options, console, new SshConnector(ssh)::connect).run(book);
    if (reportJson != null) {
      try {
        JsonReport.write(report, reportJson, verbose, check);
      } catch (IOException e) {
        spec.commandLine().getErr().println("error: cannot write " + reportJson + ": " + e.getMessage());
      }
    }
    return report.exitCode();
  }

  private Path inventoryFile() {
    if (inventory != null) {
      return inventory;
    }
    String fromEnv = System.getenv("DEPLOYER_INVENTORY");
    return Path.of(fromEnv != null ? fromEnv : "hosts.yml");
  }

  private int printHosts(Inventory hosts, Playbook book) {
    PrintWriter out = spec.commandLine().getOut();
    for (Play play : book.plays()) {
      List<Host> selected = hosts.select(play.hosts());
      if (limit != null) {
        List<Host> limited = hosts.select(limit);
        selected = selected.stream().filter(limited::contains).toList();
      }
      out.println("play [" + play.name() + "] (" + selected.size() + " hosts):");
      selected.forEach(host -> out.println("  " + host.name() + "  " + host.describe()));
    }
    out.flush();
    return 0;
  }
}
