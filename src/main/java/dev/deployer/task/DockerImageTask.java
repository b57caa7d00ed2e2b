package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.docker.Docker;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.ShellQuote;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Images on the host: {@code pull} from a registry, {@code load} a {@code docker save} tar that is
 * on the host, {@code tag} one image as another, {@code remove}. Each reports {@code changed} only
 * when the host's images actually changed.
 */
public final class DockerImageTask implements Task {
  public static final TaskType TYPE = new TaskType(
      "docker_image",
      null,
      Map.of("action", ArgKind.STRING, "image", ArgKind.STRING, "source", ArgKind.STRING, "path", ArgKind.STRING,
          "src", ArgKind.STRING),
      Set.of(),
      DockerImageTask::new);

  private static final Set<String> ACTIONS = Set.of("pull", "load", "tag", "remove");

  private final String action;
  private final String image;
  private final String source;
  private final String path;
  private final String src;

  DockerImageTask(Args args) {
    this.action = args.string("action", "pull");
    if (!ACTIONS.contains(action)) {
      throw args.error("action", "must be pull, load, tag or remove, not '" + action + "'"
          + dev.deployer.yaml.Suggestions.didYouMean(action, ACTIONS));
    }
    this.image = args.string("image", null);
    this.source = args.string("source", null);
    this.path = args.string("path", null);
    this.src = args.string("src", null);
    if (image == null && !action.equals("load")) {
      throw args.error("image", "is required to " + action);
    }
    if (action.equals("tag") && source == null) {
      throw args.error("source", "is required to tag: the image to tag as " + image);
    }
    if (action.equals("load") && (path == null) == (src == null)) {
      throw args.error("path", "or src (not both) is required to load: a docker save tar on the host (path) or here (src)");
    }
  }

  @Override
  public TaskResult run(TaskContext ctx) {
    Docker docker = new Docker(ctx.remote());
    return switch (action) {
      case "pull" -> pull(ctx, docker);
      case "load" -> src == null ? load(ctx, docker, path) : ship(ctx, docker);
      case "tag" -> tag(ctx, docker);
      default -> remove(ctx, docker);
    };
  }

  private TaskResult pull(TaskContext ctx, Docker docker) {
    Optional<String> before = docker.imageId(image);
    if (ctx.check()) {
      return before.isPresent()
          ? TaskResult.ok(image + " is present (" + ContainerSwap.shortId(before.get()) + "); a pull may bring a newer one")
          : TaskResult.changed("would pull " + image).withDiff("image", "absent", image);
    }
    docker.run("docker pull " + image, "docker", "pull", image);
    String after = docker.imageId(image).orElseThrow();
    TaskResult result = before.map(id -> id.equals(after)).orElse(false)
        ? TaskResult.ok(image + " is up to date (" + ContainerSwap.shortId(after) + ")")
        : TaskResult.changed("pulled " + image + " (" + ContainerSwap.shortId(after) + ")")
            .withDiff("image_id", before.map(ContainerSwap::shortId).orElse("absent"), ContainerSwap.shortId(after));
    return result.withData("image_id", after);
  }

  /** Copies a local tar to the host, loads it there, and removes the copy. */
  private TaskResult ship(TaskContext ctx, Docker docker) {
    java.nio.file.Path local = ctx.playbookDir().resolve(src);
    if (!java.nio.file.Files.isRegularFile(local)) {
      return TaskResult.failed("src " + local + " is not a file");
    }
    String remote = "/tmp/deployer-load-" + java.util.UUID.randomUUID() + ".tar";
    try {
      ctx.remote().upload(local, remote, 0600);
      TaskResult result = load(ctx, docker, remote);
      return result.withMessage(result.message().replace(remote, local.getFileName().toString()));
    } finally {
      ctx.remote().run("rm -f " + ShellQuote.quote(remote));
    }
  }

  /** Loads only when an image in the tar (by its ID, from the tar's manifest) is missing. */
  private TaskResult load(TaskContext ctx, Docker docker, String path) {
    CommandResult manifest = ctx.remote().run("tar -xOf " + ShellQuote.quote(path) + " manifest.json");
    if (!manifest.ok()) {
      return TaskResult.failed("cannot read " + path + " as a docker save tar: " + manifest.errorSummary());
    }
    List<String> missing = new ArrayList<>();
    try {
      for (JsonNode entry : new ObjectMapper().readTree(manifest.stdout())) {
        String config = entry.path("Config").asText();
        String id = "sha256:" + config.replaceFirst("^blobs/sha256/", "").replaceFirst("\\.json$", "");
        boolean present = docker.imageId(id).isPresent();
        for (JsonNode tag : entry.path("RepoTags")) {
          present &= docker.imageId(tag.asText()).map(id::equals).orElse(false);
        }
        if (!present) {
          missing.add(entry.path("RepoTags").size() > 0 ? entry.path("RepoTags").get(0).asText() : ContainerSwap.shortId(id));
        }
      }
    } catch (IOException e) {
      return TaskResult.failed(path + " has an unreadable manifest.json: " + e.getMessage());
    }
    if (missing.isEmpty()) {
      return TaskResult.ok("the images in " + path + " are loaded");
    }
    if (ctx.check()) {
      return TaskResult.changed("would load " + String.join(", ", missing) + " from " + path);
    }
    docker.run("docker load", "docker", "load", "--input", path);
    return TaskResult.changed("loaded " + String.join(", ", missing) + " from " + path);
  }

  private TaskResult tag(TaskContext ctx, Docker docker) {
    Optional<String> from = docker.imageId(source);
    if (from.isEmpty()) {
      return TaskResult.failed("cannot tag: " + source + " is not on the host");
    }
    Optional<String> current = docker.imageId(image);
    if (current.equals(from)) {
      return TaskResult.ok(image + " is " + source + " (" + ContainerSwap.shortId(from.get()) + ")");
    }
    TaskResult result = TaskResult.changed("tagged " + source + " as " + image)
        .withDiff("image_id", current.map(ContainerSwap::shortId).orElse("absent"), ContainerSwap.shortId(from.get()));
    if (ctx.check()) {
      return result.withMessage("would tag " + source + " as " + image);
    }
    docker.run("docker tag", "docker", "tag", source, image);
    return result;
  }

  private TaskResult remove(TaskContext ctx, Docker docker) {
    if (docker.imageId(image).isEmpty()) {
      return TaskResult.ok(image + " is not on the host");
    }
    if (ctx.check()) {
      return TaskResult.changed("would remove " + image);
    }
    docker.run("docker image rm " + image, "docker", "image", "rm", image);
    return TaskResult.changed("removed " + image);
  }
}
