package dev.deployer.cli;

import dev.deployer.inventory.Host;
import dev.deployer.inventory.Inventory;
import dev.deployer.playbook.Play;
import dev.deployer.playbook.Playbook;
import dev.deployer.playbook.PlaybookLoader;
import dev.deployer.task.TaskTypes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deployer play}: runs a playbook against an inventory. */
@Command(
    name = "play",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpWidth = 110,
    header = "Runs a playbook on the hosts its plays name.",
    description = {
      "Runs a playbook's plays on the hosts they name, task by task across hosts, and prints a line "
          + "per host as each task finishes, then a recap.",
      "",
      "A playbook is a list of plays. Each play has hosts (a pattern), optional vars, vars_files, "
          + "serial and max_fail_percentage, and tasks. Each task has a name, one task type with its "
          + "arguments, and optionally tags, when, register, ignore_errors, changed_when, no_log.",
      "",
      "Every string is a Mustache template rendered per host: {{var}}, {{group.key}}, "
          + "{{#list}}..{{/list}}. A missing variable is an error. In a command line each {{value}} is "
          + "shell-quoted where it lands; {{{value}}} inserts it as it is. For Docker's own Go templates, "
          + "switch delimiters:",
      "  command: \"{{=<%% %%>=}}docker ps --format '{{.Names}}' --filter name=<%% app %%>\"",
      "",
      "Exit codes: 0 all hosts succeeded, 1 usage or playbook error, 2 a task failed, 3 a host was "
          + "unreachable.",
      "",
      "The task types and their arguments are listed below, after the options."
    },
    footer = {
      "",
      "Example playbook:",
      "  - name: Deploy the app",
      "    hosts: web",
      "    serial: 1",
      "    vars: {app_dir: /opt/hello}",
      "    tasks:",
      "      - name: Copy the sources",
      "        sync_dir: {src: apps/hello, dest: \"{{app_dir}}\", delete: true, require: Dockerfile}",
      "      - name: Build the image",
      "        docker_build: {context: \"{{app_dir}}\", image: \"hello:{{app_version}}\"}",
      "      - name: Run it",
      "        swap_container: {name: hello, image: \"hello:{{app_version}}\", ports: [\"8080:8080\"]}",
      "",
      "Examples:",
      "  deployer play playbooks/demo.yml -i hosts.yml --check",
      "  deployer play deploy.yml -i hosts.yml --limit 'web:!web3' -e app_version=1.4.2 --forks 20 -v",
    })
public final class PlayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook YAML file.")
  Path playbook;

  @Mixin RunSettings settings;

  @Option(names = {"-t", "--tags"}, split = ",", paramLabel = "TAG",
      description = "Only tasks with one of these tags (tasks tagged 'always' run too).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--skip-tags", split = ",", paramLabel = "TAG", description = "Skip tasks with one of these tags.")
  List<String> skipTags = new ArrayList<>();

  @Option(names = "--list-hosts", description = "Print the hosts each play would run on, and stop.")
  boolean listHosts;

  @Option(names = "--syntax-check", description = "Check the playbook and the inventory (every literal argument, every"
      + " host pattern) and stop; no host is contacted. Templated arguments are checked per host when they run.")
  boolean syntaxCheck;

  @Override
  public Integer call() {
    if (listHosts || syntaxCheck) {
      Inventory hosts = settings.loadInventory();
      Playbook book = new PlaybookLoader(TaskTypes.builtin()).load(playbook);
      return listHosts ? printHosts(hosts, book) : printChecked(hosts, book);
    }
    return settings.run(spec, () -> new PlaybookLoader(TaskTypes.builtin()).load(playbook), tags, skipTags);
  }

  private int printHosts(Inventory hosts, Playbook book) {
    PrintWriter out = spec.commandLine().getOut();
    for (Play play : book.plays()) {
      List<Host> selected = hosts.select(play.hosts(), settings.limit);
      out.println("play [" + play.name() + "] (" + selected.size() + " hosts):");
      selected.forEach(host -> out.println("  " + host.name() + "  " + host.describe()));
    }
    out.flush();
    return 0;
  }

  /** Loading checked the playbook; the patterns are checked against the inventory here. */
  private int printChecked(Inventory hosts, Playbook book) {
    int tasks = 0;
    for (Play play : book.plays()) {
      hosts.select(play.hosts(), settings.limit);
      tasks += play.tasks().size();
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("playbook: " + playbook + ": " + book.plays().size() + " play(s), " + tasks + " task(s), no problems found");
    out.flush();
    return 0;
  }

}
