package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.DockerNames;
import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Images on the host: {@code pull} from a registry, {@code load} a {@code docker save} tar that is
 * on the host, {@code tag} one image as another, {@code remove}, {@code commit} a container's files
 * as an image, {@code push} to a registry. Each reports {@code changed} only when the host's images
 * (or the registry's) actually changed.
 */
public final class DockerImageTask implements Task {
  public static final TaskType TYPE = TaskType.named("docker_image", "pull, load, tag, remove, commit or push an image")
      .arg(Arg.string("action", "what to do (default: pull)").choices("pull", "load", "tag", "remove", "commit", "push"))
      .arg(Arg.string("image", "the image (for load: not needed)").matching(DockerNames.IMAGE, DockerNames.IMAGE_HELP))
      .arg(Arg.string("source", "tag: the image to tag as image").matching(DockerNames.IMAGE, DockerNames.IMAGE_HELP))
      .arg(Arg.string("path", "load: a docker save tar on the host").absolutePath())
      .arg(Arg.string("src", "load: a docker save tar here, relative to the playbook"))
      .arg(Arg.string("container", "commit: the container whose files become the image")
          .matching(DockerNames.CONTAINER, DockerNames.CONTAINER_HELP))
      .arg(Arg.string("message", "commit: the commit message"))
      .arg(Arg.of("changes", ArgKind.STRING_LIST, "commit: Dockerfile instructions to apply (CMD, ENV, LABEL, ...)"))
      .create(DockerImageTask::new);

  private final String action;
  private final String image;
  private final String source;
  private final String path;
  private final String src;
  private final String container;
  private final String commitMessage;
  private final List<String> changes;

  DockerImageTask(Args args) {
    this.action = args.string("action", "pull");
    this.image = args.string("image", null);
    this.source = args.string("source", null);
    this.path = args.string("path", null);
    this.src = args.string("src", null);
    this.container = args.string("container", null);
    this.commitMessage = args.string("message", null);
    this.changes = args.stringList("changes");
    if (image == null && !action.equals("load")) {
      throw args.error("image", "is required to " + action);
    }
    if (action.equals("tag") && source == null) {
      throw args.error("source", "is required to tag: the image to tag as " + image);
    }
    if (action.equals("commit") && container == null) {
      throw args.error("container", "is required to commit: the container whose files become " + image);
    }
    if (action.equals("load") && (path == null) == (src == null)) {
      throw args.error("path", "or src (not both) is required to load: a docker save tar on the host (path) or here (src)");
    }
  }

  @Override
  public TaskResult run(TaskContext ctx) {
    Docker docker = ctx.docker();
    return switch (action) {
      case "pull" -> pull(ctx, docker);
      case "load" -> src == null ? load(ctx, docker, path) : ship(ctx, docker);
      case "tag" -> tag(ctx, docker);
      case "commit" -> ImageCommit.commit(ctx, docker, container, image, commitMessage, changes);
      case "push" -> ImageCommit.push(ctx, docker, image);
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
    docker.run("docker pull " + image, DockerCommands.pull(image));
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
      ctx.remote().run(Command.of("rm", "-f", remote));
    }
  }

  /** Loads only when an image in the tar (by its ID, from the tar's manifest) is missing. */
  private TaskResult load(TaskContext ctx, Docker docker, String path) {
    CommandResult manifest = ctx.remote().run(Command.of("tar", "-xOf", path, "manifest.json"));
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
    docker.run("docker load", DockerCommands.load(path));
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
    docker.run("docker tag", DockerCommands.tag(source, image));
    return result;
  }

  private TaskResult remove(TaskContext ctx, Docker docker) {
    if (docker.imageId(image).isEmpty()) {
      return TaskResult.ok(image + " is not on the host");
    }
    if (ctx.check()) {
      return TaskResult.changed("would remove " + image);
    }
    docker.run("docker image rm " + image, DockerCommands.removeImage(image));
    return TaskResult.changed("removed " + image);
  }
}
