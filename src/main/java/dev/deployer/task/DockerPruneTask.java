package dev.deployer.task;

import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.DockerNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes a repository's images beyond the newest {@code keep}, sparing any image a container
 * (running or not) still uses, so a rollback target is never pruned from under a service.
 */
public final class DockerPruneTask implements Task {
  public static final TaskType TYPE = TaskType.named("docker_prune", "remove a repository's images beyond the newest keep")
      .freeForm(Arg.string("repository", "the repository, without a tag").required()
          .matching(DockerNames.REPOSITORY, DockerNames.REPOSITORY_HELP))
      .arg(Arg.of("keep", ArgKind.INTEGER, "how many of the newest images stay (default: 3)").atLeast(0))
      .create(DockerPruneTask::new);

  private final String repository;
  private final int keep;

  DockerPruneTask(Args args) {
    this.repository = args.string("repository");
    this.keep = args.integer("keep", 3);
  }

  @Override
  public TaskResult run(TaskContext ctx) {
    Docker docker = ctx.docker();
    // docker image ls lists newest first; one ID may carry several tags.
    Map<String, List<String>> tagsById = new LinkedHashMap<>();
    for (String line : docker.run("docker image ls", DockerCommands.images(repository)).lines().toList()) {
      String[] parts = line.split("\\|", 2);
      tagsById.computeIfAbsent(parts[0], id -> new ArrayList<>()).add(parts[1]);
    }
    Set<String> inUse = new HashSet<>();
    for (String container : docker.run("docker ps", DockerCommands.containerIds()).lines().filter(l -> !l.isBlank()).toList()) {
      inUse.add(docker.run("docker inspect", DockerCommands.containerImage(container)));
    }
    List<String> doomed = new ArrayList<>();
    int index = 0;
    for (Map.Entry<String, List<String>> image : tagsById.entrySet()) {
      if (index++ >= keep && !inUse.contains(image.getKey())) {
        doomed.add(image.getKey());
      }
    }
    if (doomed.isEmpty()) {
      return TaskResult.ok(tagsById.size() + " image(s) of " + repository + ", keeping up to " + keep);
    }
    List<String> refs = new ArrayList<>();
    doomed.forEach(id -> tagsById.get(id).forEach(tag -> refs.add(tag.endsWith(":<none>") ? id : tag)));
    if (ctx.check()) {
      return TaskResult.changed("would remove " + String.join(", ", refs));
    }
    for (String ref : refs) {
      docker.run("removing " + ref, DockerCommands.removeImage(ref));
    }
    return TaskResult.changed("removed " + String.join(", ", refs)).withData("removed", refs);
  }
}
