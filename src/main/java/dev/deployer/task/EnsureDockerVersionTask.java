package dev.deployer.task;

import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.VersionConstraint;
import dev.deployer.ssh.Command;
import dev.deployer.yaml.ConfigException;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.Remote;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes sure the host runs a Docker engine whose version satisfies a constraint, installing or
 * upgrading it with apt when asked: Debian's {@code docker.io} ({@code install: distro}) or
 * Docker's own {@code docker-ce} packages, pinned ({@code install: docker-ce}). When the method
 * cannot reach the version, it fails saying so before anything is touched. With {@code facts:
 * true} it also registers the engine's version, storage driver, cgroup version and free disk.
 */
public final class EnsureDockerVersionTask implements Task {
  public static final TaskType TYPE = TaskType.named("ensure_docker_version",
          "make sure the host runs a Docker engine of a version, installing it with apt when asked")
      .freeForm(Arg.string("version", "the versions allowed: >=24.0, 27.3.*, 20.10.24 or >=24, <28").required())
      .arg(Arg.string("install", "how to install: distro (docker.io), docker-ce, or none (default: distro)")
          .choices("distro", "docker-ce", "none"))
      .arg(Arg.of("facts", ArgKind.BOOLEAN, "register the engine's version, storage driver, cgroup version, free disk"))
      .create(EnsureDockerVersionTask::new);
  private static final String DOCKER_REPO = "https://download.docker.com/linux";

  private final VersionConstraint constraint;
  private final String method;
  private final boolean facts;

  EnsureDockerVersionTask(Args args) {
    try {
      this.constraint = VersionConstraint.parse(args.string("version"));
    } catch (ConfigException e) {
      throw args.error("version", e.getMessage());
    }
    this.method = args.string("install", "distro");
    this.facts = args.bool("facts", false);
  }

  @Override
  public TaskResult run(TaskContext ctx) {
    Remote remote = ctx.remote();
    Optional<String> installed = serverVersion(remote);
    if (installed.isPresent() && constraint.allows(installed.get())) {
      return withFacts(remote, TaskResult.ok("Docker " + installed.get() + " satisfies " + constraint));
    }
    String have = installed.map(v -> "Docker " + v).orElse("no running Docker engine");
    if (method.equals("none")) {
      return TaskResult.failed(have + " does not satisfy " + constraint + ", and install is none");
    }
    return method.equals("distro") ? installDistro(ctx, have) : installDockerCe(ctx, have);
  }

  private TaskResult installDistro(TaskContext ctx, String have) {
    CommandResult policy = ctx.remote().run(Command.of("env", "LC_ALL=C", "apt-cache", "policy", "docker.io"));
    if (!policy.ok()) {
      return TaskResult.failed(have + " does not satisfy " + constraint + "; install: distro needs apt (Debian or Ubuntu): "
          + policy.errorSummary());
    }
    String candidate = field(policy.stdout(), "Candidate:");
    if (candidate == null || candidate.equals("(none)")) {
      return TaskResult.failed(have + " does not satisfy " + constraint + ", and apt offers no docker.io package"
          + " (run apt-get update, or use install: docker-ce)");
    }
    String upstream = upstreamVersion(candidate);
    if (!constraint.allows(upstream)) {
      return TaskResult.failed("apt offers docker.io " + upstream + ", which does not satisfy " + constraint
          + " (" + have + "); nothing was changed. Use install: docker-ce for Docker's own packages");
    }
    TaskResult plan = TaskResult.changed("install docker.io " + upstream + " with apt").withDiff("docker", have, upstream);
    if (ctx.check()) {
      return plan.withMessage("would install docker.io " + upstream + " with apt (" + have + ")");
    }
    return install(ctx, List.of("docker.io=" + candidate), plan);
  }

  private TaskResult installDockerCe(TaskContext ctx, String have) {
    List<String> offered = dockerCeVersions(ctx.remote());
    if (offered.isEmpty()) {
      if (ctx.check()) {
        return TaskResult.changed("would add Docker's apt repository (" + DOCKER_REPO + ") and install docker-ce matching "
            + constraint + " (" + have + ")").withDiff("docker", have, "docker-ce " + constraint);
      }
      CommandResult added = ctx.remote().run(Command.script(ADD_REPO));
      if (!added.ok()) {
        return TaskResult.failed("cannot add Docker's apt repository: " + added.errorSummary());
      }
      offered = dockerCeVersions(ctx.remote());
    }
    Optional<String> pick = offered.stream().filter(v -> constraint.allows(upstreamVersion(v))).findFirst();
    if (pick.isEmpty()) {
      List<String> shown = offered.stream().limit(5).map(EnsureDockerVersionTask::upstreamVersion).toList();
      return TaskResult.failed("Docker's repository offers docker-ce " + shown + (offered.size() > 5 ? "..." : "")
          + ", none of which satisfies " + constraint + " (" + have + "); nothing was changed");
    }
    String version = pick.get();
    TaskResult plan = TaskResult.changed("install docker-ce " + upstreamVersion(version))
        .withDiff("docker", have, upstreamVersion(version));
    if (ctx.check()) {
      return plan.withMessage("would install docker-ce " + upstreamVersion(version) + " from Docker's repository (" + have + ")");
    }
    return install(ctx, List.of("docker-ce=" + version, "docker-ce-cli=" + version, "containerd.io"), plan);
  }

  private TaskResult install(TaskContext ctx, List<String> packages, TaskResult plan) {
    List<String> argv = new ArrayList<>(
        List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q", "--allow-downgrades"));
    argv.addAll(packages);
    CommandResult installed = ctx.remote().run(Command.of(argv));
    if (!installed.ok()) {
      return TaskResult.failed("apt-get install failed: " + installed.errorSummary());
    }
    ctx.remote().run(Command.of("systemctl", "enable", "--now", "docker").quietErrors()
        .or(Command.of("service", "docker", "start").quietErrors())
        .or(Command.of("true")));
    Optional<String> now = serverVersion(ctx.remote());
    if (now.isEmpty() || !constraint.allows(now.get())) {
      return TaskResult.failed("installed " + String.join(" ", packages) + ", but the engine reports "
          + now.orElse("nothing (is the daemon running?)"));
    }
    return withFacts(ctx.remote(), plan.withMessage("installed Docker " + now.get() + " (" + plan.message() + ")"));
  }

  private static Optional<String> serverVersion(Remote remote) {
    CommandResult version = remote.run(DockerCommands.serverVersion());
    String text = version.stdout().trim();
    return version.ok() && !text.isEmpty() ? Optional.of(text) : Optional.empty();
  }

  /** Versions apt offers for docker-ce, newest first, as apt writes them ("5:27.3.1-1~debian.12~bookworm"). */
  private static List<String> dockerCeVersions(Remote remote) {
    CommandResult madison = remote.run(Command.of("env", "LC_ALL=C", "apt-cache", "madison", "docker-ce"));
    if (!madison.ok()) {
      return List.of();
    }
    return madison.stdout().lines().map(line -> line.split("\\|")).filter(p -> p.length >= 2).map(p -> p[1].trim()).toList();
  }

  /** "5:27.3.1-1~debian.12~bookworm" or "20.10.24+dfsg1-1+deb12u1" to "27.3.1" or "20.10.24". */
  static String upstreamVersion(String debian) {
    String v = debian.contains(":") ? debian.substring(debian.indexOf(':') + 1) : debian;
    return String.join(".", VersionConstraint.numbers(v).stream().map(String::valueOf).toList());
  }

  private static String field(String text, String name) {
    return text.lines().map(String::trim).filter(l -> l.startsWith(name)).map(l -> l.substring(name.length()).trim())
        .findFirst().orElse(null);
  }

  private static TaskResult withFacts(Remote remote, TaskResult result) {
    CommandResult info = remote.run(DockerCommands.info());
    if (!info.ok()) {
      return result;
    }
    String[] parts = info.stdout().trim().split("\\|", -1);
    TaskResult out = result.withData("docker_version", parts[0]).withData("storage_driver", parts[1])
        .withData("cgroup_version", parts[2]).withData("docker_root_dir", parts[3]);
    CommandResult df = remote.run(Command.of("df", "-Pk", parts[3]));
    String free = "";
    List<String> lines = df.stdout().lines().toList();
    if (df.ok() && lines.size() >= 2) {
      String[] cols = lines.get(lines.size() - 1).trim().split("\\s+");
      long bytes = Long.parseLong(cols[3]) * 1024;
      out = out.withData("disk_free_bytes", bytes);
      free = ", " + bytes / (1024 * 1024 * 1024) + " GiB free";
    }
    return out.withMessage(result.message() + " [storage " + parts[1] + ", cgroup v" + parts[2] + ", root " + parts[3] + free + "]");
  }

  // Docker's documented apt setup for Debian and Ubuntu.
  private static final String ADD_REPO = String.join(" && ",
      "set -e",
      ". /etc/os-release",
      "apt-get update -q",
      "DEBIAN_FRONTEND=noninteractive apt-get install -y -q ca-certificates curl",
      "install -m 0755 -d /etc/apt/keyrings",
      "curl -fsSL " + DOCKER_REPO + "/$ID/gpg -o /etc/apt/keyrings/docker.asc",
      "chmod a+r /etc/apt/keyrings/docker.asc",
      "echo \"deb [arch=$(dpkg --print-architecture) signed-by=/etc/apt/keyrings/docker.asc] " + DOCKER_REPO
          + "/$ID $VERSION_CODENAME stable\" > /etc/apt/sources.list.d/docker.list",
      "apt-get update -q");
}
