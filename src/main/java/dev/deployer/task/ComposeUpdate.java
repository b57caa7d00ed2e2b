package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.ComposeService;
import dev.deployer.docker.Docker;
import dev.deployer.docker.HealthGate;
import dev.deployer.ssh.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Brings a Compose service onto a pushed image the way Compose would: {@code up -d SERVICE} in the
 * project's directory with its files, once the image is pulled. Compose's files stay the source of
 * truth, so a file that names another tag than the pushed one is left as it is (Compose would run
 * that tag again). Compose recreates in place: there is no old container to go back to, so a new
 * one that never becomes healthy fails the task with its log and is left for the user to see.
 */
final class ComposeUpdate {
  private static final int LOG_LINES = 20;

  private final TaskContext ctx;
  private final ComposeService service;

  ComposeUpdate(TaskContext ctx, ComposeService service) {
    this.ctx = ctx;
    this.service = service;
  }

  /** {@code container} is one of the service's containers; {@code image} was pulled already. */
  TaskResult update(JsonNode container, String name, String image) {
    Optional<String> leftAlone = leftAlone(service, container, image);
    if (leftAlone.isPresent()) {
      return TaskResult.ok(leftAlone.get());
    }
    Docker docker = ctx.docker();
    Optional<String> pulled = docker.imageId(image);
    if (pulled.isPresent() && pulled.get().equals(container.path("Image").asText())) {
      return TaskResult.ok("runs " + image + " (" + ContainerSwap.shortId(pulled.get()) + ") already; " + service);
    }
    CommandResult up = ctx.remote().run(service.up().errorsToOutput());
    if (!up.ok()) {
      return TaskResult.failed(service + ": up -d in " + service.workingDir() + " failed (exit " + up.exitCode() + "):\n"
          + up.errorSummary());
    }
    List<String> unhealthy = new ArrayList<>();
    List<String> containers = docker.containerNames(service.containerFilters());
    for (String each : containers) {
      HealthGate.Outcome outcome = ContainerSwap.awaitRecorded(ctx, each, null);
      if (!outcome.healthy()) {
        unhealthy.add(each + ": " + outcome.detail() + "; its last lines:\n" + docker.logTail(each, LOG_LINES));
      }
    }
    if (!unhealthy.isEmpty()) {
      return TaskResult.failed(service + " was recreated on " + image + " but is not healthy (Compose keeps no old"
          + " container to go back to):\n" + String.join("\n", unhealthy));
    }
    return TaskResult.changed("recreated by " + service + " on " + image
        + pulled.map(id -> " (" + ContainerSwap.shortId(id) + ")").orElse("") + ": " + String.join(", ", containers));
  }

  /** Why Compose's container is not to be touched for this image, if it is not. */
  static Optional<String> leftAlone(ComposeService service, JsonNode container, String image) {
    String named = container.path("Config").path("Image").asText();
    if (!withTag(named).equals(withTag(image))) {
      return Optional.of("left to " + service + ": its files name " + named + ", not " + image);
    }
    if (!service.updatable()) {
      return Optional.of("left to " + service + ": its labels do not say where its files are"
          + " (made by a Compose older than 1.25); run up -d there");
    }
    return Optional.empty();
  }

  /** An image reference with Docker's implied {@code :latest} written out, so the two compare. */
  static String withTag(String image) {
    String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    return RedeployContainerTask.repository(withoutDigest).equals(withoutDigest) ? withoutDigest + ":latest" : withoutDigest;
  }
}
