package dev.deployer.shell;

import dev.deployer.playbook.BuiltinPlaybooks;
import dev.deployer.playbook.GeneratedPlaybook;
import dev.deployer.playbook.PlaybookLoader;
import dev.deployer.playbook.ServicesFile;
import dev.deployer.task.TaskType;
import dev.deployer.task.TaskTypes;
import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Suggestions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands that run tasks on the hosts in use, each as a play with live lines and a recap. */
final class TaskCommands {
  private TaskCommands() {}

  @Command(name = "run", description = "Runs one task of any type on the hosts in use, ad hoc.",
      footer = {"", "Examples:", "  run command cmd=\"docker ps\"", "  run command uptime",
          "  run sync_dir src=apps/hello dest=/opt/hello delete=true",
          "  run swap_container name=hello image=hello:1.4.2 ports=[8080:8080]"})
  static class Run extends ConsoleCommand {
    @Parameters(index = "0", paramLabel = "TASK", description = "A task type (Tab lists them).")
    String type;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE",
        description = "Its arguments; a value may be a {{template}}, [a, list] or {a: mapping}.")
    List<String> words = new ArrayList<>();

    Run(ShellSession session) {
      super(session);
    }

    boolean check() {
      return false;
    }

    @Override
    public Integer call() {
      TaskTypes types = TaskTypes.builtin();
      TaskType taskType = types.find(type).orElseThrow(() -> new ConfigException(null,
          "no task type '" + type + "'" + Suggestions.didYouMean(type, types.names())
              + " (there are: " + String.join(", ", types.names()) + ")"));
      Map<String, Object> args = ShellSyntax.taskArguments(taskType, words);
      String name = type + (words.isEmpty() ? "" : " " + String.join(" ", words));
      return session.runPlaybook(GeneratedPlaybook.of("Ad hoc", "all", name, type, args), check(), List.of(), Map.of(), true);
    }
  }

  @Command(name = "check", description = "Like run, in check mode: reads the hosts and reports what would change.",
      footer = {"", "Example:", "  check swap_container name=hello image=hello:1.4.3"})
  static final class Check extends Run {
    Check(ShellSession session) {
      super(session);
    }

    @Override
    boolean check() {
      return true;
    }
  }

  @Command(name = "play", description = "Runs a playbook on the hosts in use (its plays' hosts, narrowed to them).")
  static final class Play extends ConsoleCommand {
    @Parameters(paramLabel = "FILE", description = "The playbook YAML file.")
    Path file;

    @Option(names = {"-C", "--check"}, description = "Check mode: change nothing.")
    boolean check;

    @Option(names = {"-t", "--tags"}, split = ",", paramLabel = "TAG", description = "Only tasks with these tags.")
    List<String> tags = new ArrayList<>();

    Play(ShellSession session) {
      super(session);
    }

    @Override
    public Integer call() {
      return session.runPlaybook(new PlaybookLoader(TaskTypes.builtin()).load(file), check, tags, Map.of());
    }
  }

  @Command(name = "deploy", description = "Builds (or pulls) SERVICE from the services file and swaps it in on the"
      + " hosts in use, health-gated: an unhealthy version leaves the old one serving. A service the file does not"
      + " have (or with no file) is run at VERSION with the configuration recorded on its live container.")
  static final class Deploy extends ConsoleCommand {
    @Parameters(index = "0", paramLabel = "SERVICE", description = "A service of the services file.")
    String service;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "Image tag (default: the file's).")
    String version;

    @Option(names = {"-C", "--check"}, description = "Check mode: change nothing.")
    boolean check;

    Deploy(ShellSession session) {
      super(session);
    }

    @Override
    public Integer call() {
      boolean inFile = session.hasServicesFile() && session.services().names().contains(service);
      if (inFile) {
        List<Map<String, Object>> services = session.services().select(List.of(service), version);
        return session.runPlaybook(BuiltinPlaybooks.load("deploy.yml"), check, List.of(), Map.of("services", services));
      }
      if (version == null) {
        throw new ConfigException(null, "no service '" + service + "' in " + session.settings().servicesFile()
            + "; to run the live container at another version, give one: deploy " + service + " VERSION");
      }
      Map<String, Object> args = Map.of("name", service, "tag", version);
      return session.runPlaybook(GeneratedPlaybook.of("Deploy " + service, "all", "Deploy " + service + " " + version,
          "redeploy_container", args), check, List.of(), Map.of());
    }
  }

  @Command(name = "rollback", description = "Redeploys SERVICE's previous release (or --to one) with its whole"
      + " recorded configuration, health-gated.")
  static final class Rollback extends ConsoleCommand {
    @Parameters(paramLabel = "SERVICE", description = "The service (its container's name).")
    String service;

    @Option(names = "--to", paramLabel = "IMAGE", description = "The release: an image reference or ID prefix.")
    String to;

    Rollback(ShellSession session) {
      super(session);
    }

    @Override
    public Integer call() {
      return session.runPlaybook(GeneratedPlaybook.rollback("all", service, to), false, List.of(), Map.of());
    }
  }

  @Command(name = "health", description = "Lists container health on the hosts in use (every container, or the"
      + " SERVICEs' with their http probes), flagging unhealthy, failed and restarting ones; --restart restarts them.")
  static final class Health extends ConsoleCommand {
    @Parameters(arity = "0..*", paramLabel = "SERVICE", description = "Services (default: every container).")
    List<String> services = new ArrayList<>();

    @Option(names = "--restart", description = "Restart the containers with a problem and wait for them.")
    boolean restart;

    Health(ShellSession session) {
      super(session);
    }

    @Override
    public Integer call() {
      List<Map<String, Object>> chosen = new ArrayList<>();
      ServicesFile file = session.hasServicesFile() ? session.services() : null;
      for (String name : services) {
        // A service the file does not know is still a container to check, without probes.
        chosen.addAll(file != null && file.names().contains(name)
            ? file.select(List.of(name), null) : List.of(Map.of("name", name)));
      }
      return session.runPlaybook(BuiltinPlaybooks.load("healthcheck.yml"), false, List.of(),
          ServicesFile.healthcheckVariables(chosen, restart));
    }
  }

  @Command(name = "history", description = "Without SERVICE, the lines typed in this shell; with one, its releases on"
      + " each host in use, newest first.")
  static final class History extends ConsoleCommand {
    @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "A service (its container's name).")
    String service;

    History(ShellSession session) {
      super(session);
    }

    @Override
    public Integer call() {
      if (service == null) {
        List<String> lines = session.typedLines();
        for (int i = 0; i < lines.size(); i++) {
          session.out().printf("%5d  %s%n", i + 1, lines.get(i));
        }
        return 0;
      }
      return session.runPlaybook(GeneratedPlaybook.history("all", service), false, List.of(), Map.of());
    }
  }
}
