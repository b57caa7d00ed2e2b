package dev.deployer.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.inventory.InventoryLoader;
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
import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Location;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a deployment ended. */
  record Outcome(String state, String reason, int exitCode, Map<String, Map<String, Integer>> hosts) {}

  private final ServerConfig config;
  private final SshOptions ssh;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  DeploymentRunner(ServerConfig config, SshOptions ssh) {
    this.config = config;
    this.ssh = ssh;
  }

  static Path logFile(ServerConfig config, String id) {
    return config.dataDir().resolve("logs").resolve(id + ".log");
  }

  /** @param staleRuns deployments a dead server left unfinished: their deploy locks may be taken over */
  Outcome run(Deployment d, java.util.Set<String> staleRuns) {
    ServerConfig.Project project = config.projects().get(d.project());
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
        vars.put("image", d.image());
        vars.put("tag", d.tag());
        vars.put("deploy_id", d.id());
        vars.put("project", d.project());
        vars.put("uploaded", d.imageFile() != null);
        if (d.packageFile() != null) {
          vars.put("package_dir", packageDest(d.project()));
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
            : new Outcome("failed", "failed hosts: " + String.join(", ", failed), exit, hosts);
      } catch (ConfigException | TemplateException | IOException e) {
        out.println("error: " + e.getMessage());
        return new Outcome("failed", e.getMessage(), 1, Map.of());
      }
    } catch (IOException e) {
      return new Outcome("failed", "cannot write the log: " + e.getMessage(), 1, Map.of());
    }
  }

  private String packageDest(String project) {
    return "/opt/deployer/projects/" + project + "/package";
  }

  /** The uploaded files are shipped first, by a play of its own; then the project's playbook. */
  private Playbook playbook(Deployment d, ServerConfig.Project project) throws IOException {
    Playbook own = new PlaybookLoader(TaskTypes.builtin()).load(project.playbook());
    List<TaskSpec> ship = new ArrayList<>();
    if (d.imageFile() != null) {
      ship.add(GeneratedTask.of("upload", "Load the uploaded image", "docker_image",
          Map.of("action", "load", "src", d.imageFile())));
    }
    if (d.packageFile() != null) {
      Path unpacked = unpack(Path.of(d.packageFile()));
      ship.add(GeneratedTask.of("upload", "Copy the uploaded package", "sync_dir",
          Map.of("src", unpacked.toString(), "dest", packageDest(d.project()), "delete", true)));
    }
    if (ship.isEmpty()) {
      return own;
    }
    List<Play> plays = new ArrayList<>();
    plays.add(new Play("Ship the upload", project.hosts(), Map.of(), ship, Location.of("upload")));
    plays.addAll(own.plays());
    return new Playbook(own.file(), own.dir(), plays);
  }

  /** Unpacks a tar.gz build context next to it; tar refuses absolute and ../ paths. */
  private static Path unpack(Path archive) throws IOException {
    Path dir = archive.resolveSibling("package");
    Files.createDirectories(dir);
    Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", dir.toString(), "--no-same-owner")
        .redirectErrorStream(true).start();
    String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (tar.waitFor() != 0) {
        throw new IOException("the package is not a readable tar.gz: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted unpacking the package");
    }
    return dir;
  }

  /** Docker Hub's callback: success or failure, so the push's webhook chain completes. */
  void callback(Deployment d, String state, String description) {
    if (d.callbackUrl() == null || d.callbackUrl().isBlank()) {
      return;
    }
    try {
      String body = JSON.writeValueAsString(Map.of("state", state, "description", truncate(description, 255),
          "context", "deployer", "target_url", ""));
      HttpRequest request = HttpRequest.newBuilder(URI.create(d.callbackUrl()))
          .timeout(Duration.ofSeconds(20))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException | IllegalArgumentException e) {
      appendLog(d, "callback to " + d.callbackUrl() + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void appendLog(Deployment d, String line) {
    try {
      Path log = logFile(config, d.id());
      Files.createDirectories(log.getParent());
      Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException ignored) {
      // The log is best effort; the state in the database is what counts.
    }
  }

  private static String truncate(String text, int max) {
    return text == null ? "" : text.length() <= max ? text : text.substring(0, max);
  }
}
