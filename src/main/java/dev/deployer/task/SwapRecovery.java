package dev.deployer.task;

import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.DockerException;
import dev.deployer.docker.HealthGate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Puts right what a swap cut off midway leaves behind (a killed deployer, a host cut from the
 * network, a stopped dockerd), before anything is decided: the old release set aside as
 * {@code NAME_old_*}, perhaps a new container created but never started, or started but never
 * proven healthy. The service ends with one live container: the new one if Docker calls it
 * healthy, else the newest one set aside, started again and waited for.
 */
final class SwapRecovery {
  private final TaskContext ctx;
  private final Docker docker;

  SwapRecovery(TaskContext ctx) {
    this.ctx = ctx;
    this.docker = ctx.docker();
  }

  /** True when a deploy lock for the service is on the host: a swap runs now, or one was cut off. */
  boolean lockPresent(String name) {
    return ctx.remote().run(dev.deployer.ssh.Command.of("test", "-d", DeployLock.ROOT + "/" + name)).ok();
  }

  /**
   * Brings the service back to one live container, under its lock.
   *
   * @param notes gets a sentence for the report when anything was put right
   * @return the live container afterwards
   */
  LiveContainer recover(String name, LiveContainer live, StringBuilder notes) {
    List<String> aside = asideContainers(name);
    if (aside.isEmpty()) {
      return live;
    }
    boolean keepNew = live.container().isPresent() && proven(name, live);
    if (keepNew) {
      // Read again: one that was starting has become healthy meanwhile.
      live = LiveContainer.of(docker.inspectContainer(name));
    }
    if (live.container().isPresent() && !keepNew) {
      docker.run("removing a container no swap finished", DockerCommands.forceRemove(name));
      notes.append("removed ").append(name).append(" (").append(live.current() == null ? "unmanaged" : live.current().image())
          .append("), left by a swap that was cut off before it proved healthy; ");
      live = LiveContainer.of(java.util.Optional.empty());
    }
    if (live.container().isEmpty()) {
      String newest = aside.get(0);
      docker.run("putting the old container back", DockerCommands.rename(newest, name));
      docker.run("starting the old container", DockerCommands.start(name));
      live = LiveContainer.of(docker.inspectContainer(name));
      HealthGate.Outcome back = ContainerSwap.awaitRecorded(ctx, name, live.current());
      notes.append("recovered ").append(live.current() == null ? name : live.current().image())
          .append(" from an interrupted swap (").append(back.healthy() ? "healthy" : "NOT healthy: " + back.detail())
          .append("); ");
      live = LiveContainer.of(docker.inspectContainer(name));
    }
    if (live.healthy()) {
      removeLeftovers(name);
    }
    return live;
  }

  /** A new container proves itself the way a swap's does: running, and healthy by Docker (waited for if still starting). */
  private boolean proven(String name, LiveContainer live) {
    if (live.healthy() || !live.starting()) {
      return live.healthy();
    }
    try {
      return ContainerSwap.awaitRecorded(ctx, name, live.current()).healthy();
    } catch (DockerException e) {
      return false;
    }
  }

  /** Containers renamed aside by swaps of this service, newest first (their names end in a time). */
  List<String> asideContainers(String name) {
    List<String> aside = new ArrayList<>(docker.containerNames("name=^" + name + "_old_"));
    aside.removeIf(n -> !n.startsWith(name + "_old_"));
    aside.sort(Comparator.reverseOrder());
    return aside;
  }

  /**
   * Once the service is healthy, what earlier swaps set aside is not needed. A removal that a killed
   * run left half done answers "already in progress" for a moment, so it is asked again a few times.
   */
  void removeLeftovers(String name) {
    for (int attempt = 0; attempt < 10; attempt++) {
      List<String> left = asideContainers(name);
      if (left.isEmpty()) {
        return;
      }
      left.forEach(leftover -> docker.attempt(DockerCommands.forceRemove(leftover)));
      try {
        Thread.sleep(attempt == 0 ? 0 : 500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
