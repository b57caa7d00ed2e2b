package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.ContainerSpec;
import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.DockerException;
import dev.deployer.docker.HealthGate;
import dev.deployer.docker.HealthWait;
import dev.deployer.docker.Release;
import dev.deployer.proxy.Route;
import dev.deployer.ssh.RemoteException;
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
  private final ProxiedSwap proxied;
  private final String proxyImage;

  ContainerSwap(TaskContext ctx) {
    this(ctx, null);
  }

  /** @param proxyImage the image of the host's proxy, made if a proxied service finds none (null: the default) */
  ContainerSwap(TaskContext ctx, String proxyImage) {
    this.ctx = ctx;
    this.docker = ctx.docker();
    this.proxied = new ProxiedSwap(ctx);
    this.proxyImage = proxyImage;
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
    LiveContainer live = LiveContainer.of(state.container());
    String newId = imageId.orElse("");
    SwapRecovery recovery = new SwapRecovery(ctx);
    // A lock on the host means a swap runs now or was cut off: then nothing is decided before it is settled.
    boolean settled = ctx.check() || !recovery.lockPresent(name);
    if (settled && upToDate(name, live, newId, spec)) {
      return upToDateResult(image, newId, spec, live);
    }
    if (ctx.check()) {
      return plan(name, image, newId, spec, live);
    }
    try (DeployLock lock = DeployLock.acquire(ctx.remote(), name, ctx.run(), ctx.clock().instant())) {
      try {
        StringBuilder notes = new StringBuilder(lock.tookOver());
        live = recovery.recover(name, LiveContainer.of(docker.inspectContainer(name)), notes);
        if (spec.proxy() != null) {
          live = proxied.recover(name, live, notes);
        }
        TaskResult result;
        if (upToDate(name, live, newId, spec)) {
          result = upToDateResult(image, newId, spec, live);
        } else if (spec.proxy() != null && live.runs(newId, spec) && live.healthy()) {
          result = proxied.reroute(name, live, spec.proxy(), proxyImage);
        } else {
          Release release = new Release(image, imageId.get(), ctx.clock().instant().toString(), ctx.run().operator(),
              ctx.run().runId(), spec, health.toJson());
          result = swap(release, pinnedId != null ? pinnedId : image, health, keep, live, recovery);
        }
        if (!recovery.asideContainers(name).isEmpty() || (spec.proxy() != null && !proxied.nextContainers(name).isEmpty())) {
          // Not settled (a restore that failed, a removal docker refused): the lock stays, so the next run settles it.
          lock.keep();
          notes.append("containers set aside by a swap are still there; the lock stays for the next run to settle; ");
        }
        return result.withMessage(notes + result.message());
      } catch (RuntimeException e) {
        // Cut off midway (a host gone, its dockerd stopped): whatever is half done, the next run settles it.
        lock.keep();
        throw e;
      }
    }
  }

  /**
   * Up to date means this image ID, this configuration, and healthy: a live container Docker calls
   * unhealthy is swapped again, and one still starting is waited for as a new one would be.
   */
  private boolean upToDate(String name, LiveContainer live, String imageId, ContainerSpec spec) {
    if (!live.runs(imageId, spec)) {
      return false;
    }
    boolean healthy = live.starting() ? awaitRecorded(ctx, name, live.current()).healthy() : live.healthy();
    return healthy && (spec.proxy() == null || ProxiedSwap.routedTo(proxied.route(name), live, spec.proxy()));
  }

  private static TaskResult upToDateResult(String image, String imageId, ContainerSpec spec, LiveContainer live) {
    return TaskResult.ok(spec.name() + " runs " + image + " (" + shortId(imageId) + ", " + healthWord(live) + ")"
            + (spec.proxy() == null ? "" : " behind " + spec.proxy().address()))
        .withData("image", image);
  }

  /**
   * Waits for the service's live container as its release asked when it was deployed: its image's
   * HEALTHCHECK and the recorded health settings (timeout, http probes). No release, no probes.
   */
  static HealthGate.Outcome awaitRecorded(TaskContext ctx, String name, Release release) {
    HealthSettings health = release == null ? HealthSettings.none() : HealthSettings.fromJson(release.health());
    return ctx.healthGate().await(name, waitFor(ctx.docker(), name, health), health.probes());
  }

  /** What the report says of a live container that is up to date. */
  private static String healthWord(LiveContainer live) {
    return live.health().isEmpty() ? "running" : "healthy";
  }

  private TaskResult plan(String name, String image, String newId, ContainerSpec spec, LiveContainer state) {
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
    } else if (live.isPresent() && !state.healthy()) {
      result = result.withDiff("health", state.health(), "healthy");
    }
    for (Map.Entry<String, Object[]> field : spec.differences(current == null ? null : current.config()).entrySet()) {
      result = result.withDiff(field.getKey(), field.getValue()[0], field.getValue()[1]);
    }
    if (spec.proxy() != null) {
      if (state.runs(newId, spec) && state.healthy()) {
        result = TaskResult.changed("would route " + spec.proxy().address() + " to " + name + " (" + image + ")");
      }
      result = ProxiedSwap.planRoute(result, proxied.route(name), state, spec.proxy(), image);
    }
    return result;
  }

  /** @param runImage what docker create runs: the release's image, or for a rollback its exact image ID */
  private TaskResult swap(Release release, String runImage, HealthSettings health, int keep, LiveContainer live,
      SwapRecovery recovery) {
    ContainerSpec spec = release.config();
    String name = spec.name();
    String image = release.image();
    String imageId = release.imageId();
    Release current = live.current();
    List<Release> history = live.releases();
    List<Release> kept = history.subList(0, Math.min(history.size(), keep));
    if (spec.proxy() != null) {
      TaskResult result = proxied.swap(release, runImage, health, kept, live, proxyImage);
      if (result.status() == Status.FAILED) {
        return result;
      }
      recovery.removeLeftovers(name);
      int pruned = prune(history, keep, imageId);
      return pruned == 0 ? result : result.withMessage(result.message() + "; pruned " + pruned + " old image(s)");
    }
    // Leaving the proxy: its route holds the port this container may publish, so it goes first (a moment without service).
    Route dropped = current != null && current.config().proxy() != null ? proxied.dropRoute(name) : null;
    String aside = live.container().isPresent() ? setAside(name, spec.stopTimeout()) : null;
    String was = current == null ? (aside == null ? "" : " (replacing an unmanaged container)") : " (was " + current.image() + ")";
    HealthGate.Outcome outcome;
    HealthWait wait = null;
    try {
      docker.run("creating the new container", DockerCommands.create(name, runImage, spec, release.labels(kept)));
      var start = docker.attempt(DockerCommands.start(name));
      if (!start.ok()) {
        return restore(name, aside, current, dropped, "the new container cannot start: " + start.errorSummary());
      }
      wait = waitFor(docker, name, health);
      outcome = ctx.healthGate().await(name, wait, health.probes());
    } catch (DockerException e) {
      return restore(name, aside, current, dropped, e.getMessage());
    }
    if (!outcome.healthy()) {
      return restore(name, aside, current, dropped, "the new container is not healthy: " + outcome.detail() + " (" + wait.reason() + ")");
    }
    if (aside != null) {
      docker.run("removing the old container", DockerCommands.remove(aside));
    }
    // Leftovers of swaps that were cut off earlier: the service is healthy now, they are not needed.
    recovery.removeLeftovers(name);
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

  /** How long to wait for this container: from its image's HEALTHCHECK and the task's health.timeout. */
  static HealthWait waitFor(Docker docker, String container, HealthSettings health) {
    JsonNode inspected = docker.inspectContainer(container)
        .orElseThrow(() -> new DockerException("container " + container + " vanished"));
    return HealthWait.of(inspected.path("Config").get("Healthcheck"), health.timeout());
  }

  /**
   * Removes the failed new container and brings the old one back under the service's name, and
   * its route on the proxy when it had one ({@code dropped}: its address is fixed, so the route holds).
   */
  private TaskResult restore(String name, String aside, Release current, Route dropped, String why) {
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
      HealthGate.Outcome back = awaitRecorded(ctx, name, current);
      if (dropped != null) {
        proxied.restoreRoute(dropped);
      }
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
