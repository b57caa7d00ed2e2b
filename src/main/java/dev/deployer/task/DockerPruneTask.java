package dev.deployer.task;

import dev.deployer.docker.Docker;
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
  public static final TaskType TYPE = new TaskType(
      "docker_prune",
      "repository",
      Map.of("repository", ArgKind.STRING, "keep", ArgKind.INTEGER),
      Set.of("repository"),
      DockerPruneTask::new);

  private final String repository;
  private final int keep;

  DockerPruneTask(Args args) {
    this.repository = args.string("repository");
    this.keep = args.integer("keep", 3);
    if (keep < 0) {
      throw args.error("keep", "must be 0 or more");
    }
  }

  @Override
  public TaskResult run(TaskContext ctx) {
    Docker docker = new Docker(ctx.remote());
    // docker image ls lists newest first; one ID may carry several tags.
    Map<String, List<String>> tagsById = new LinkedHashMap<>();
    for (String line : docker.run("docker image ls", "docker", "image", "ls", "--no-trunc",
        "--format", "{{.ID}}|{{.Repository}}:{{.Tag}}", repository).lines().toList()) {
      String[] parts = line.split("\\|", 2);
      tagsById.computeIfAbsent(parts[0], id -> new ArrayList<>()).add(parts[1]);
    }
    Set<String> inUse = new HashSet<>();
    for (String container : docker.run("docker ps", "docker", "ps", "-a", "-q").lines().filter(l -> !l.isBlank()).toList()) {
      inUse.add(docker.run("docker inspect", "docker", "container", "inspect", "--format", "{{.Image}}", container));
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
      docker.run("removing " + ref, "docker", "image", "rm", ref);
    }
    return TaskResult.changed("removed " + String.join(", ", refs)).withData("removed", refs);
  }
}
