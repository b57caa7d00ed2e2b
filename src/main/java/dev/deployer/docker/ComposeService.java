package dev.deployer.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.ssh.Command;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Compose service a container belongs to, as Compose itself recorded it in the container's
 * labels: project, service, the working directory and the files it was brought up from. Both
 * Compose v2 ({@code docker compose}, absolute paths joined by commas) and v1 ({@code
 * docker-compose}, paths relative to the working directory) write these labels.
 */
public record ComposeService(String project, String service, String workingDir, List<String> configFiles) {
  private static final String PROJECT = "com.docker.compose.project";
  private static final String SERVICE = "com.docker.compose.service";
  private static final String WORKING_DIR = "com.docker.compose.project.working_dir";
  private static final String CONFIG_FILES = "com.docker.compose.project.config_files";

  /**
   * Runs Compose in the project's directory, so its {@code .env} and relative paths mean what they
   * meant when the project was brought up; v2 when the docker CLI has it, else v1.
   */
  private static final String RUN_COMPOSE = """
      cd "$1" || exit 3
      shift
      if docker compose version >/dev/null 2>&1; then exec docker compose "$@"; fi
      if command -v docker-compose >/dev/null 2>&1; then exec docker-compose "$@"; fi
      echo "neither 'docker compose' nor 'docker-compose' is installed here" >&2
      exit 127
      """;

  public ComposeService {
    configFiles = List.copyOf(configFiles);
  }

  /**
   * The service of a container Compose made, from {@code docker inspect}; empty for any other
   * container. A Compose container whose labels lack the directory (Compose before 1.25) is
   * described without it, and {@link #updatable()} says so.
   */
  public static Optional<ComposeService> of(JsonNode container) {
    JsonNode labels = container.path("Config").path("Labels");
    String project = labels.path(PROJECT).asText("");
    if (project.isEmpty()) {
      return Optional.empty();
    }
    String files = labels.path(CONFIG_FILES).asText("");
    List<String> configFiles = files.isEmpty() ? List.of()
        : Arrays.stream(files.split(",")).map(String::strip).filter(f -> !f.isEmpty()).toList();
    return Optional.of(new ComposeService(project, labels.path(SERVICE).asText(""),
        labels.path(WORKING_DIR).asText(""), configFiles));
  }

  /** Whether the labels say enough to run Compose for this service again. */
  public boolean updatable() {
    return !service.isEmpty() && workingDir.startsWith("/");
  }

  /**
   * {@code up -d} of this one service on the images it names (already pulled by the caller), as
   * Compose does it: Compose sees the new image ID and recreates the service's containers with the
   * configuration its files give, so the files stay the source of truth.
   */
  public Command up() {
    List<String> args = new ArrayList<>(List.of(workingDir, "-p", project));
    configFiles.forEach(file -> {
      args.add("-f");
      args.add(file);
    });
    args.addAll(List.of("up", "-d", "--no-deps", "--no-build", service));
    return Command.script(RUN_COMPOSE, args.toArray(String[]::new));
  }

  /** {@code docker ps} filters for every container of this service, however many it was scaled to. */
  public String[] containerFilters() {
    return new String[] {"label=" + PROJECT + "=" + project, "label=" + SERVICE + "=" + service};
  }

  @Override
  public String toString() {
    return "Compose project " + project + ", service " + service;
  }
}
