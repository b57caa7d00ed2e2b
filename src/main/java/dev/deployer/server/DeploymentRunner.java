package dev.deployer.server;

import dev.deployer.inventory.InventoryLoader;
import dev.deployer.playbook.GeneratedPlaybook;
import dev.deployer.playbook.GeneratedTask;
import dev.deployer.playbook.Play;
import dev.deployer.playbook.Playbook;
import dev.deployer.playbook.PlaybookLoader;
import dev.deployer.playbook.TaskSpec;
import dev.deployer.report.ConsoleReporter;
import dev.deployer.report.HostSummary;
import dev.deployer.report.RunReport;
import dev.deployer.run.PlayRunner;
import dev.deployer.run.RunOptions;
import dev.deployer.ssh.SshConnector;
import dev.deployer.ssh.SshOptions;
import dev.deployer.task.TaskTypes;
import dev.deployer.template.TemplateException;
import dev.deployer.template.Unsafe;
import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Location;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one deployment: ships an uploaded image and package to the project's hosts, then runs the
 * project's playbook through the same engine as {@code deployer play}, with {@code image},
 * {@code tag}, {@code deploy_id} and {@code project} as variables. The run's output goes to the
 * deployment's log file.
 */
final class DeploymentRunner {
  /** How a deployment ended. */
  record Outcome(String state, String reason, int exitCode, Map<String, Map<String, Integer>> hosts) {}

  private final ServerConfig config;
  private final SshOptions ssh;

  DeploymentRunner(ServerConfig config, SshOptions ssh) {
    this.config = config;
    this.ssh = ssh;
  }

  static Path logFile(ServerConfig config, String id) {
    return config.logsDir().resolve(id + ".log");
  }

  /** @param staleRuns deployments a dead server left unfinished: their deploy locks may be taken over */
  Outcome run(Deployment d, java.util.Set<String> staleRuns) {
    ServerConfig.Project project = config.projects().get(d.project());
    if (project == null) {
      return new Outcome("failed", "project " + d.project() + " is no longer in the server's config", 1, Map.of());
    }
    Path log = logFile(config, d.id());
    try {
      Files.createDirectories(log.getParent());
    } catch (IOException e) {
      return new Outcome("failed", "cannot write the log: " + e.getMessage(), 1, Map.of());
    }
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
      try {
        Playbook book = playbook(d, project);
        Map<String, Object> vars = new LinkedHashMap<>();
        // What a hook or an upload named is a value, never a template.
        if (d.hasImage()) {
          // A package-only upload has no image: a playbook asks with "image is defined".
          vars.put("image", new Unsafe(d.image()));
          vars.put("tag", new Unsafe(d.tag()));
        }
        vars.put("deploy_id", d.id());
        vars.put("project", d.project());
        vars.put("uploaded", d.imageFile() != null);
        if (d.packageFile() != null) {
          vars.put("package_dir", packageDest(project));
        }
        // The run is named by the deployment, so a lock it leaves behind can be traced to it.
        RunOptions options = new RunOptions(false, project.hosts(), List.of(), List.of(), vars, 10, false, false,
            d.id(), staleRuns);
        out.println("deployment " + d.id() + " of " + d.project() + ": image " + d.image() + " (" + d.source() + ")");
        RunReport report = new PlayRunner(InventoryLoader.load(config.inventory()), options,
            new ConsoleReporter(out, false, false, false), new SshConnector(ssh)::connect).run(book);
        Map<String, Map<String, Integer>> hosts = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        for (HostSummary h : report.hosts().values()) {
          hosts.put(h.host(), Map.of("ok", h.ok(), "changed", h.changed(), "failed", h.failed(),
              "skipped", h.skipped(), "unreachable", h.unreachable()));
          if (h.failed() > 0 || h.unreachable() > 0) {
            failed.add(h.host());
          }
        }
        int exit = report.exitCode();
        return exit == 0
            ? new Outcome("ok", null, 0, hosts)
            : new Outcome(failedState(report), "failed hosts: " + String.join(", ", failed), exit, hosts);
      } catch (ConfigException | TemplateException | IOException e) {
        out.println("error: " + e.getMessage());
        return new Outcome("failed", e.getMessage(), 1, Map.of());
      }
    } catch (IOException e) {
      return new Outcome("failed", "cannot write the log: " + e.getMessage(), 1, Map.of());
    }
  }

  private static String packageDest(ServerConfig.Project project) {
    return project.packageHooks() != null ? project.packageHooks().dest() : "/opt/deployer/projects/" + project.name() + "/package";
  }

  /** "failed", or, as IPD reported it, the code a package's control.sh deploy returned instead of 1. */
  private static String failedState(RunReport report) {
    return report.hosts().values().stream().flatMap(host -> host.tasks().stream())
        .map(task -> task.data().get("deploy_exit"))
        .filter(code -> code instanceof Integer exit && exit != 1)
        .map(String::valueOf).findFirst().orElse("failed");
  }

  /** A unit command, made from the unit files as they are now; what the hook named is given as image and tag. */
  private static Playbook unitPlaybook(ServerConfig.Project project) {
    ServerConfig.UnitCommand command = project.unit();
    dev.deployer.unit.Unit unit = command.call().find(dev.deployer.unit.UnitLoader.loadAll(command.units()));
    return dev.deployer.unit.UnitPlaybook.load(new dev.deployer.unit.UnitPlaybook.Request(unit, command.call().command(),
        command.call().variants(), Map.of(), java.util.Set.of("image", "tag", "deploy_id", "project", "uploaded"), false, false));
  }

  /** The uploaded files are shipped first, by a play of its own; then the project's playbook. */
  private Playbook playbook(Deployment d, ServerConfig.Project project) throws IOException {
    Playbook own = project.unit() != null ? unitPlaybook(project)
        : project.playbook() != null ? new PlaybookLoader(TaskTypes.builtin()).load(project.playbook())
        : project.redeployRunning() && d.hasImage() ? GeneratedPlaybook.of("Redeploy " + d.image(), "all",
            "Run the containers of " + d.image() + " at its new tag", "redeploy_running",
            Map.of("repository", dev.deployer.task.RedeployContainerTask.repository(d.image()), "tag", d.tag()))
        : new Playbook(Path.of("package"), Path.of("").toAbsolutePath(), List.of());
    List<TaskSpec> ship = new ArrayList<>();
    for (String upload : java.util.Arrays.asList(d.imageFile(), d.packageFile())) {
      if (upload != null && !Files.exists(Path.of(upload))) {
        throw new IOException("the upload " + upload + " is not on this server: replicas that share a database need one"
            + " uploads_dir on storage they all share");
      }
    }
    if (d.imageFile() != null) {
      ship.add(GeneratedTask.of("upload", "Load the uploaded image", "docker_image",
          Map.of("action", "load", "src", d.imageFile())));
    }
    if (d.packageFile() != null) {
      ship.add(GeneratedTask.of("upload", "Copy the uploaded package", "sync_dir",
          Map.of("src", d.packageFile(), "dest", packageDest(project), "delete", true)));
      if (project.packageHooks() != null) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("DEPLOY", d.id());
        env.put("PROJECT", d.project());
        if (d.hasImage()) {
          env.put("IMAGE", d.image());
          env.put("TAG", d.tag());
        }
        ship.add(GeneratedTask.of("upload", "Run the package's " + project.packageHooks().control(), "package_hooks",
            Map.of("dir", packageDest(project), "control", project.packageHooks().control(), "env", env)));
      }
    }
    if (ship.isEmpty()) {
      return own;
    }
    List<Play> plays = new ArrayList<>();
    plays.add(new Play("Ship the upload", project.hosts(), Map.of(), ship, Location.of("upload")));
    plays.addAll(own.plays());
    return new Playbook(own.file(), own.dir(), plays);
  }
}
