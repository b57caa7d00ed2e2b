package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.ComposeService;
import dev.deployer.docker.ContainerSpec;
import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.DockerNames;
import dev.deployer.docker.InspectedSpec;
import dev.deployer.docker.Release;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * gopdater's zero-configuration redeploy: every running container on the host whose image is
 * {@code repository} is run at {@code repository:tag} with its whole configuration, through the
 * health-gated swap. A container deployer made keeps its recorded configuration; any other has it
 * read back from {@code docker inspect}. A container of a Compose project is updated the Compose
 * way ({@code up -d SERVICE} with the files it was made from), so Compose stays the source of truth:
 * only when those files name the pushed tag, as Compose would run nothing else.
 */
public final class RedeployRunningTask implements Task {
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
      List<String> plans = new ArrayList<>();
      for (JsonNode container : mine) {
        String name = container.path("Name").asText().replaceFirst("^/", "");
        plans.add(ComposeService.of(container)
            .map(compose -> ComposeUpdate.leftAlone(compose, container, image).orElse("would be recreated by " + compose))
            .map(plan -> name + ": " + plan)
            .orElse(name + ": would run on it with its configuration"));
      }
      return TaskResult.changed("would pull " + image + "\n" + String.join("\n", plans));
    }
    docker.run("docker pull " + image, DockerCommands.pull(image));
    List<String> lines = new ArrayList<>();
    Set<ComposeService> composed = new HashSet<>();
    boolean changed = false;
    for (JsonNode container : mine) {
      String name = container.path("Name").asText().replaceFirst("^/", "");
      Optional<ComposeService> compose = ComposeService.of(container);
      if (compose.isPresent() && !composed.add(compose.get())) {
        continue; // one up -d recreates every container of a scaled service
      }
      TaskResult result = compose.isPresent()
          ? new ComposeUpdate(ctx, compose.get()).update(container, name, image)
          : redeploy(ctx, container, image);
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
}
