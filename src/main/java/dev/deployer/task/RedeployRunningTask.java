package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.ContainerSpec;
import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.DockerNames;
import dev.deployer.docker.InspectedSpec;
import dev.deployer.docker.Release;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * gopdater's zero-configuration redeploy: every running container on the host whose image is
 * {@code repository} is run at {@code repository:tag} with its whole configuration, through the
 * health-gated swap. A container deployer made keeps its recorded configuration; any other has it
 * read back from {@code docker inspect}. A container of a Compose project is left to Compose.
 */
public final class RedeployRunningTask implements Task {
  private static final String COMPOSE_PROJECT = "com.docker.compose.project";

  public static final TaskType TYPE = TaskType.named("redeploy_running",
          "run every running container of a repository at a new tag, each with its whole configuration")
      .arg(Arg.string("repository", "the repository whose containers are updated").required()
          .matching(DockerNames.REPOSITORY, DockerNames.REPOSITORY_HELP))
      .arg(Arg.string("tag", "the tag to run them at").required().matching(DockerNames.TAG_NAME, DockerNames.TAG_HELP))
      .arg(SwapContainerTask.keep())
      .create(RedeployRunningTask::new);

  private final String repository;
  private final String tag;
  private final int keep;

  RedeployRunningTask(Args args) {
    this.repository = args.string("repository");
    this.tag = args.string("tag");
    this.keep = args.integer("keep", 3);
  }

  @Override
  public TaskResult run(TaskContext ctx) {
    Docker docker = ctx.docker();
    List<String> running = docker.containerNames("status=running");
    List<JsonNode> mine = new ArrayList<>();
    if (!running.isEmpty()) {
      docker.run("docker inspect", DockerCommands.inspectEach(running.toArray(String[]::new))).lines()
          .filter(line -> !line.isBlank()).map(Docker::parse)
          .filter(c -> RedeployContainerTask.repository(c.path("Config").path("Image").asText()).equals(repository))
          .forEach(mine::add);
    }
    if (mine.isEmpty()) {
      return TaskResult.ok("no running container runs " + repository);
    }
    String image = repository + ":" + tag;
    if (ctx.check()) {
      return TaskResult.changed("would pull " + image + " and run " + names(mine) + " on it, each with its configuration");
    }
    docker.run("docker pull " + image, DockerCommands.pull(image));
    List<String> lines = new ArrayList<>();
    boolean changed = false;
    for (JsonNode container : mine) {
      String name = container.path("Name").asText().replaceFirst("^/", "");
      String compose = container.path("Config").path("Labels").path(COMPOSE_PROJECT).asText("");
      if (!compose.isEmpty()) {
        lines.add(name + ": left to Compose (project " + compose + "): run docker compose up -d there");
        continue;
      }
      TaskResult result = redeploy(ctx, container, image);
      lines.add(name + ": " + result.message());
      if (result.status() == Status.FAILED) {
        return TaskResult.failed(String.join("\n", lines));
      }
      changed |= result.status() == Status.CHANGED;
    }
    String message = String.join("\n", lines);
    return changed ? TaskResult.changed(message) : TaskResult.ok(message);
  }

  private TaskResult redeploy(TaskContext ctx, JsonNode container, String image) {
    Release current = Release.current(container);
    if (current != null) {
      return new ContainerSwap(ctx).deploy(image, null, current.config(), HealthSettings.fromJson(current.health()), keep);
    }
    Optional<JsonNode> runs = inspectImage(ctx.docker(), container.path("Image").asText());
    if (runs.isEmpty()) {
      return TaskResult.failed("cannot read the image it runs (" + container.path("Image").asText() + ")");
    }
    ContainerSpec spec = InspectedSpec.of(container, runs.get());
    return new ContainerSwap(ctx).deploy(image, null, spec, HealthSettings.none(), keep);
  }

  private static Optional<JsonNode> inspectImage(Docker docker, String id) {
    var result = docker.attempt(DockerCommands.inspectEach(id));
    return result.ok() ? result.stdout().lines().filter(l -> !l.isBlank()).map(Docker::parse).findFirst() : Optional.empty();
  }

  private static String names(List<JsonNode> containers) {
    return String.join(", ", containers.stream().map(c -> c.path("Name").asText().replaceFirst("^/", "")).toList());
  }
}
