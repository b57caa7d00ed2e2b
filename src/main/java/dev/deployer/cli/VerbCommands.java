package dev.deployer.cli;

import dev.deployer.playbook.ServicesFile;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The four verbs users of remote-deploy scripts already know, each a built-in playbook. */
final class VerbCommands {
  private VerbCommands() {}

  @Command(name = "config", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, usageHelpWidth = 110,
      header = "Makes sure a host runs Docker at the wanted version.",
      description = {
        "Makes sure HOST runs a Docker engine at the wanted version (--docker-version, else the services "
            + "file's docker: {version}, else >=20.10), installing it with apt when needed (--install, else "
            + "docker: {install}, else distro), and shows what it found or installed and the engine's facts: "
            + "storage driver, cgroup version, root dir and free disk. No services file is needed."
      },
      footer = {"", "Examples:", "  deployer config web1 -i hosts.yml", "  deployer config 192.0.2.10 --user deploy --key ~/.ssh/id_ed25519",
          "  deployer config 192.0.2.10 --docker-version '>=24.0' --install docker-ce"})
  static final class Config extends VerbCommand {
    /** What --install takes; the ensure_docker_version task checks the value as it checks a playbook's. */
    static final class InstallMethods extends ArrayList<String> {
      InstallMethods() {
        super(List.of("distro", "docker-ce", "none"));
      }
    }

    @Option(names = "--docker-version", paramLabel = "VERSIONS",
        description = "The versions allowed: >=24.0, 27.3.*, 20.10.24 or '>=24, <28'.")
    String dockerVersion;

    @Option(names = "--install", paramLabel = "METHOD", completionCandidates = InstallMethods.class,
        description = "How to install or upgrade: distro (Debian's docker.io), docker-ce (Docker's packages), or none.")
    String install;

    @Override
    String playbook() {
      return "config.yml";
    }

    /** The command line's choice, else the services file's (when there is one), else the defaults. */
    @Override
    Map<String, Object> variables() {
      if (install != null && !new InstallMethods().contains(install)) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--install takes " + String.join(", ", new InstallMethods()) + ", not '" + install + "'");
      }
      boolean fileNamed = spec.commandLine().getParseResult().hasMatchedOption("--services");
      Map<String, Object> docker = fileNamed || Files.exists(servicesFile) ? services().docker() : ServicesFile.DOCKER_DEFAULTS;
      return Map.of("docker_version", dockerVersion != null ? dockerVersion : docker.get("version"),
          "docker_install", install != null ? install : docker.get("install"));
    }
  }

  @Command(name = "build", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, usageHelpWidth = 110,
      header = "Builds services' images on a host from their contexts.",
      description = {
        "Copies each service's build context to HOST (only files that changed) and builds its image "
            + "there (only when the context or build args changed). No SERVICE: every service with a build "
            + "context."
      },
      footer = {"", "Example:", "  deployer build web -i hosts.yml hello --tag 1.4.2"})
  static final class Build extends ServicesVerb {
    @Parameters(index = "1..*", paramLabel = "SERVICE", description = "Services to build (default: all).")
    List<String> names = new ArrayList<>();

    Build() {
      super("build.yml");
    }

    @Override
    List<String> names() {
      return names;
    }
  }

  @Command(name = "deploy", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, usageHelpWidth = 110,
      header = "Deploys services on a host through the health-gated swap.",
      description = {
        "Builds (or pulls) each SERVICE's image on HOST and swaps its container in, health-gated: a "
            + "version that is not healthy leaves the old one serving. Unchanged services are left alone."
      },
      footer = {"", "Examples:", "  deployer deploy web -i hosts.yml hello --tag 1.4.2",
          "  deployer deploy 192.0.2.10 --user deploy hello api"})
  static final class Deploy extends ServicesVerb {
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "SERVICE", description = "Services to deploy.")
    List<String> names = new ArrayList<>();

    Deploy() {
      super("deploy.yml");
    }

    @Override
    List<String> names() {
      return names;
    }
  }

  /** build and deploy: a built-in playbook over the named services, all at one --tag if given. */
  abstract static class ServicesVerb extends VerbCommand {
    private final String playbook;

    @Option(names = "--tag", paramLabel = "TAG", description = "Image tag for every service (default: each one's tag).")
    String tag;

    ServicesVerb(String playbook) {
      this.playbook = playbook;
    }

    /** The SERVICE parameters (each verb says whether it needs one). */
    abstract List<String> names();

    @Override
    String playbook() {
      return playbook;
    }

    @Override
    Map<String, Object> variables() {
      return Map.of("services", services().select(names(), tag));
    }
  }

  @Command(name = "healthcheck", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, usageHelpWidth = 110,
      header = "Checks a host's containers and restarts those that failed.",
      description = {
        "Lists every container's state and health on HOST (or only the SERVICEs'), and flags those with a "
            + "problem: unhealthy, exited with an error, or being restarted by Docker, whether or not they have a "
            + "HEALTHCHECK. With --restart, restarts those and waits for them. Exits 2 when any problem remains. "
            + "The services' http probes (health.http in the services file) are checked too."
      },
      footer = {"", "Example:", "  deployer healthcheck web -i hosts.yml --restart"})
  static final class Healthcheck extends VerbCommand {
    @Parameters(index = "1..*", paramLabel = "SERVICE", description = "Services to check (default: every container).")
    List<String> names = new ArrayList<>();

    @Option(names = "--restart", description = "Restart the containers with a problem and wait for them.")
    boolean restart;

    @Override
    String playbook() {
      return "healthcheck.yml";
    }

    @Override
    Map<String, Object> variables() {
      return ServicesFile.healthcheckVariables(names.isEmpty() ? List.of() : services().select(names, null), restart);
    }
  }
}
