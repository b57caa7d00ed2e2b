package dev.deployer.cli;

import dev.deployer.playbook.ServicesFile;
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
        "Makes sure HOST runs a Docker engine at the version the services file asks for (docker: "
            + "{version, install}), installing it with apt when needed, and shows its configuration."
      },
      footer = {"", "Examples:", "  deployer config web1 -i hosts.yml", "  deployer config 192.0.2.10 --user deploy --key ~/.ssh/id_ed25519"})
  static final class Config extends VerbCommand {
    @Override
    String playbook() {
      return "config.yml";
    }

    @Override
    Map<String, Object> variables() {
      Map<String, Object> docker = services().docker();
      return Map.of("docker_version", docker.get("version"), "docker_install", docker.get("install"));
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
        "Lists every container's state and health on HOST (or only the SERVICEs'), with --restart "
            + "restarts the unhealthy ones and waits for them, and fails when any stays unhealthy. The "
            + "services' http probes (health.http in the services file) are checked too."
      },
      footer = {"", "Example:", "  deployer healthcheck web -i hosts.yml --restart"})
  static final class Healthcheck extends VerbCommand {
    @Parameters(index = "1..*", paramLabel = "SERVICE", description = "Services to check (default: every container).")
    List<String> names = new ArrayList<>();

    @Option(names = "--restart", description = "Restart unhealthy containers.")
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
