package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.DockerException;
import dev.deployer.docker.RegistryImage;
import java.util.List;
import java.util.Optional;

/**
 * {@code docker_image}'s {@code commit} and {@code push}, idempotent: a commit whose files and
 * configuration equal the image already named is thrown away (nothing changed), and a push of an
 * image the registry already holds under that name is not made.
 */
final class ImageCommit {
  private ImageCommit() {}

  static TaskResult commit(TaskContext ctx, Docker docker, String container, String image, String message,
      List<String> changes) {
    if (docker.inspectContainer(container).isEmpty()) {
      return TaskResult.failed("cannot commit: there is no container " + container);
    }
    Optional<String> before = docker.imageId(image);
    if (ctx.check()) {
      return TaskResult.changed("would commit " + container + " as " + image
          + before.map(id -> " (now " + ContainerSwap.shortId(id) + "; unchanged files keep it)").orElse(""));
    }
    String committed = docker.run("docker commit " + container, DockerCommands.commitUnnamed(container, message, changes)).strip();
    if (before.isPresent() && sameImage(docker, before.get(), committed)) {
      docker.attempt(DockerCommands.removeImage(committed));
      return TaskResult.ok(image + " already has the files and settings of " + container
          + " (" + ContainerSwap.shortId(before.get()) + ")").withData("image_id", before.get());
    }
    docker.run("docker tag", DockerCommands.tag(committed, image));
    return TaskResult.changed("committed " + container + " as " + image + " (" + ContainerSwap.shortId(committed) + ")")
        .withDiff("image_id", before.map(ContainerSwap::shortId).orElse("absent"), ContainerSwap.shortId(committed))
        .withData("image_id", committed);
  }

  /**
   * Same layers and same configuration. A commit's Hostname is the container's ID and its Image the
   * commit's parent, so those are left out: a commit of an unchanged container compares equal.
   */
  private static boolean sameImage(Docker docker, String existing, String committed) {
    List<JsonNode> images = docker.run("docker image inspect", DockerCommands.inspectEach(existing, committed))
        .lines().filter(line -> !line.isBlank()).map(Docker::parse).toList();
    if (images.size() != 2) {
      return false;
    }
    return images.get(0).path("RootFS").equals(images.get(1).path("RootFS"))
        && comparable(images.get(0).path("Config")).equals(comparable(images.get(1).path("Config")))
        && images.get(0).path("Comment").equals(images.get(1).path("Comment"));
  }

  private static JsonNode comparable(JsonNode config) {
    if (!(config instanceof ObjectNode object)) {
      return config;
    }
    ObjectNode copy = object.deepCopy();
    copy.remove(List.of("Hostname", "Image"));
    return copy;
  }

  static TaskResult push(TaskContext ctx, Docker docker, String image) {
    Optional<String> local = docker.imageId(image);
    if (local.isEmpty()) {
      return TaskResult.failed("cannot push: " + image + " is not on the host");
    }
    Optional<String> remote;
    String unread = null;
    try {
      remote = RegistryImage.idIn(docker, image);
    } catch (DockerException e) {
      remote = Optional.empty();
      unread = e.getMessage();
    }
    if (remote.equals(local)) {
      return TaskResult.ok(RegistryImage.registryOf(image) + " has " + image + " (" + ContainerSwap.shortId(local.get()) + ")")
          .withData("image_id", local.get());
    }
    String was = remote.map(ContainerSwap::shortId).orElse(unread == null ? "absent" : "unknown");
    TaskResult result = TaskResult.changed("pushed " + image + " (" + ContainerSwap.shortId(local.get()) + ")")
        .withDiff("registry_image_id", was, ContainerSwap.shortId(local.get()))
        .withData("image_id", local.get());
    if (ctx.check()) {
      return result.withMessage("would push " + image + " (" + ContainerSwap.shortId(local.get()) + ")"
          + (unread == null ? "" : "; " + unread));
    }
    docker.run("docker push " + image, DockerCommands.push(image));
    return result;
  }
}
