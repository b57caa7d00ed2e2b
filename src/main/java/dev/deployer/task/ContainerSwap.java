package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.ContainerSpec;
import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.DockerException;
import dev.deployer.docker.HealthGate;
import dev.deployer.docker.HealthWait;
import dev.deployer.docker.Release;
import dev.deployer.ssh.RemoteException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Replaces a service's live container with a new one, gated on health, and puts the old one back
 * when the new one is not healthy. Shared by swap_container and rollback_container.
 *
 * <p>The live container is always named exactly as the service. The old one is renamed aside and
 * stopped, the new one created and started under the service's name, and then: healthy, the old
 * one is removed (its image stays for rollback); not healthy, exited, or unable to start, the new
 * one is removed and the old one renamed back, started and waited for.
 */
final class ContainerSwap {
  private static final int LOG_LINES = 20;

  private final TaskContext ctx;
  private final Docker docker;

  ContainerSwap(TaskContext ctx) {
    this.ctx = ctx;
    this.docker = ctx.docker();
  }

  /**
   * @param image the image reference to record and run
   * @param pinnedId when set (a rollback), the exact image ID to run, whatever the tag points at now
   */
  TaskResult deploy(String image, String pinnedId, ContainerSpec spec, HealthSettings health, int keep) {
    String name = spec.name();
    Docker.ImageAndContainer state = pinnedId != null
        ? new Docker.ImageAndContainer(docker.imageId(pinnedId), docker.inspectContainer(name))
        : docker.imageAndContainer(image, name);
    Optional<String> imageId = state.imageId();
    if (imageId.isEmpty() && pinnedId == null && !ctx.check()) {
      var pull = docker.attempt(DockerCommands.pull(image));
      if (!pull.ok()) {
        return TaskResult.failed("image " + image + " is not on the host and cannot be pulled: " + pull.errorSummary());
      }
      imageId = docker.imageId(image);
    }
    if (imageId.isEmpty() && !ctx.check()) {
      return TaskResult.failed("image " + (pinnedId != null ? pinnedId + " (" + image + ")" : image) + " is not on the host");
    }
    Live live = new Live(state.container());
    String newId = imageId.orElse("");
    if (live.runs(newId, spec)) {
      return TaskResult.ok(name + " runs " + image + " (" + shortId(newId) + ")").withData("image", image);
    }
    if (ctx.check()) {
      return plan(name, image, newId, spec, live);
    }
    try (DeployLock lock = DeployLock.acquire(ctx.remote(), name, ctx.run(), ctx.clock().instant())) {
      String recovered = "";
      if (live.container().isEmpty() && recoverInterruptedSwap(name)) {
        recovered = "recovered " + name + " from an interrupted swap; ";
        live = new Live(docker.inspectContainer(name));
        if (live.runs(newId, spec)) {
          return TaskResult.ok(recovered + name + " runs " + image + " (" + shortId(newId) + ")").withData("image", image);
        }
      }
      Release release = new Release(image, imageId.get(), ctx.clock().instant().toString(), ctx.run().operator(),
          ctx.run().runId(), spec, health.toJson());
      TaskResult result = swap(release, pinnedId != null ? pinnedId : image, health, keep, live);
      return result.withMessage(recovered + result.message());
    }
  }

  /** The service's live container as deploy reads it: its document, its release, whether it runs. */
  private record Live(Optional<JsonNode> container, Release current, boolean running) {
    Live(Optional<JsonNode> container) {
      this(container, container.map(Release::current).orElse(null),
          container.map(c -> c.path("State").path("Running").asBoolean()).orElse(false));
    }

    /** True when it already runs this image ID with this configuration: nothing to do. */
    boolean runs(String imageId, ContainerSpec spec) {
      return current != null && running && current.imageId().equals(imageId) && current.config().hash().equals(spec.hash());
    }

    /** Its release and the releases before it, newest first. */
    List<Release> releases() {
      List<Release> releases = new ArrayList<>();
      if (current != null) {
        releases.add(current);
        releases.addAll(container.map(Release::history).orElse(List.of()));
      }
      return releases;
    }
  }

  /**
   * A swap cut off between renaming the old container aside and finishing (a killed deployer)
   * leaves no container under the service's name: the newest one set aside is put back.
   */
  private boolean recoverInterruptedSwap(String name) {
    List<String> aside = asideContainers(name);
    if (aside.isEmpty()) {
      return false;
    }
    String newest = aside.get(0);
    docker.run("recovering " + newest, DockerCommands.rename(newest, name));
    docker.run("starting " + name, DockerCommands.start(name));
    return true;
  }

  /** Containers renamed aside by swaps of this service, newest first (their names end in a time). */
  private List<String> asideContainers(String name) {
    List<String> aside = new ArrayList<>(docker.containerNames("name=^" + name + "_old_"));
    aside.removeIf(n -> !n.startsWith(name + "_old_"));
    aside.sort(java.util.Comparator.reverseOrder());
    return aside;
  }

  private TaskResult plan(String name, String image, String newId, ContainerSpec spec, Live state) {
    Optional<JsonNode> live = state.container();
    Release current = state.current();
    boolean running = state.running();
    String before = live.isEmpty() ? "absent"
        : current == null ? "unmanaged container" : current.image() + " (" + shortId(current.imageId()) + ")";
    TaskResult result = TaskResult.changed(live.isEmpty() ? "would create " + name + " from " + image
        : "would replace " + name + " (" + before + ") with " + image)
        .withDiff("image", before, image + (newId.isEmpty() ? " (not on the host yet)" : " (" + shortId(newId) + ")"));
    if (live.isPresent() && !running) {
      result = result.withDiff("state", "stopped", "running");
    }
    for (Map.Entry<String, Object[]> field : spec.differences(current == null ? null : current.config()).entrySet()) {
      result = result.withDiff(field.getKey(), field.getValue()[0], field.getValue()[1]);
    }
    return result;
  }

  /** @param runImage what docker create runs: the release's image, or for a rollback its exact image ID */
  private TaskResult swap(Release release, String runImage, HealthSettings health, int keep, Live live) {
    ContainerSpec spec = release.config();
    String name = spec.name();
    String image = release.image();
    String imageId = release.imageId();
    Release current = live.current();
    List<Release> history = live.releases();
    List<Release> kept = history.subList(0, Math.min(history.size(), keep));
    String aside = live.container().isPresent() ? setAside(name, spec.stopTimeout()) : null;
    String was = current == null ? (aside == null ? "" : " (replacing an unmanaged container)") : " (was " + current.image() + ")";
    HealthGate.Outcome outcome;
    HealthWait wait = null;
    try {
      docker.run("creating the new container", DockerCommands.create(name, runImage, spec, release.labels(kept)));
      var start = docker.attempt(DockerCommands.start(name));
      if (!start.ok()) {
        return restore(name, aside, current, "the new container cannot start: " + start.errorSummary());
      }
      wait = waitFor(name, health);
      outcome = ctx.healthGate().await(name, wait, health.probes());
    } catch (DockerException e) {
      return restore(name, aside, current, e.getMessage());
    }
    if (!outcome.healthy()) {
      return restore(name, aside, current, "the new container is not healthy: " + outcome.detail() + " (" + wait.reason() + ")");
    }
    if (aside != null) {
      docker.run("removing the old container", DockerCommands.remove(aside));
    }
    // Leftovers of swaps that were cut off earlier: the service is healthy now, they are not needed.
    for (String leftover : asideContainers(name)) {
      docker.attempt(DockerCommands.forceRemove(leftover));
    }
    int pruned = prune(history, keep, imageId);
    return TaskResult.changed("deployed " + image + was + "; " + outcome.detail() + " (" + wait.reason() + ")"
            + (pruned > 0 ? "; pruned " + pruned + " old image(s)" : ""))
        .withDiff("image", current == null ? "absent" : current.image(), image)
        .withData("image", image)
        .withData("image_id", imageId)
        .withData("waited_seconds", outcome.waited().toSeconds());
  }

  /** Renames the live container aside and stops it; returns its new name. */
  private String setAside(String name, int stopTimeout) {
    String aside = name + "_old_" + Long.toString(ctx.clock().millis(), 36);
    docker.run("renaming the old container aside", DockerCommands.rename(name, aside));
    docker.run("stopping the old container", DockerCommands.stop(aside, stopTimeout));
    return aside;
  }

  private HealthWait waitFor(String container, HealthSettings health) {
    JsonNode inspected = docker.inspectContainer(container)
        .orElseThrow(() -> new DockerException("container " + container + " vanished"));
    return HealthWait.of(inspected.path("Config").get("Healthcheck"), health.timeout());
  }

  /** Removes the failed new container and brings the old one back under the service's name. */
  private TaskResult restore(String name, String aside, Release current, String why) {
    String logs = docker.inspectContainer(name).isPresent() ? docker.logTail(name, LOG_LINES) : "(no container)";
    var removed = docker.attempt(DockerCommands.forceRemove(name));
    if (!removed.ok() && docker.inspectContainer(name).isPresent()) {
      return TaskResult.failed(why + "; AND the failed container could not be removed (" + removed.errorSummary()
          + "); the old one is still aside as " + aside + ". Last log lines:\n" + logs);
    }
    if (aside == null) {
      return TaskResult.failed(why + "; there was no previous version to restore. Last log lines:\n" + logs);
    }
    String oldImage = current == null ? "the previous container" : current.image();
    try {
      docker.run("renaming the old container back", DockerCommands.rename(aside, name));
      docker.run("starting the old container", DockerCommands.start(name));
      HealthSettings oldHealth = current == null ? HealthSettings.none() : HealthSettings.fromJson(current.health());
      HealthGate.Outcome back = ctx.healthGate().await(name, waitFor(name, oldHealth), oldHealth.probes());
      String state = back.healthy() ? "healthy" : "NOT healthy: " + back.detail();
      return TaskResult.failed(why + "; restored " + oldImage + " (" + state + "). Last log lines of the new container:\n" + logs);
    } catch (RemoteException e) {
      return TaskResult.failed(why + "; RESTORING " + oldImage + " FAILED: " + e.getMessage() + ". Last log lines:\n" + logs);
    }
  }

  /** Removes images of releases older than the last {@code keep}, unless something still uses them. */
  private int prune(List<Release> history, int keep, String liveId) {
    Set<String> keepIds = new HashSet<>();
    keepIds.add(liveId);
    history.stream().limit(keep).forEach(r -> keepIds.add(r.imageId()));
    int pruned = 0;
    for (Release old : history.subList(Math.min(keep, history.size()), history.size())) {
      if (keepIds.add(old.imageId()) && docker.attempt(DockerCommands.removeImage(old.imageId())).ok()) {
        pruned++;
      }
    }
    return pruned;
  }

  static String shortId(String id) {
    String bare = id.startsWith("sha256:") ? id.substring(7) : id;
    return bare.length() > 12 ? bare.substring(0, 12) : bare;
  }

}
