package dev.deployer.docker;

import dev.deployer.ssh.Remote;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waits until a container is healthy by Docker's own HEALTHCHECK (or, without one, has stayed
 * up) and its HTTP probes pass; or until it is clearly not: exited, restarting, unhealthy, or out
 * of time.
 */
public final class HealthGate {
  private static final long POLL_MILLIS = 500;

  private final Docker docker;
  private final Remote remote;

  /** @param remote where the http probes run: the host itself */
  public HealthGate(Docker docker, Remote remote) {
    this.docker = docker;
    this.remote = remote;
  }

  /** How the wait ended. */
  public record Outcome(boolean healthy, String detail, Duration waited) {}

  public Outcome await(String container, HealthWait wait, List<HttpProbe> probes) {
    return awaitChecks(container, wait, probes.stream().<Supplier<Optional<String>>>map(probe -> () -> probe.failure(remote)).toList());
  }

  /**
   * The same, with checks of the caller's own (each empty when it passes, else what went wrong),
   * asked once Docker calls the container healthy.
   */
  public Outcome awaitChecks(String container, HealthWait wait, List<Supplier<Optional<String>>> checks) {
    long started = System.nanoTime();
    long deadline = started + wait.limit().toNanos();
    Long upSince = null;
    Integer restartsAtStart = null;
    String lastProblem = "health status 'starting'";
    while (true) {
      long now = System.nanoTime();
      Duration waited = Duration.ofNanos(now - started);
      ContainerState state = docker.state(container);
      String health = state.health();
      if (state.exited()) {
        return new Outcome(false, "it exited with code " + state.exitCode() + " after " + HealthWait.seconds(waited), waited);
      }
      restartsAtStart = restartsAtStart == null ? state.restarts() : restartsAtStart;
      if (state.status().equals("restarting") || state.restarts() > restartsAtStart) {
        return new Outcome(false, "it crashed and Docker restarted it (exit code " + state.exitCode() + ")", waited);
      }
      boolean ready;
      if (wait.hasHealthcheck()) {
        if (state.unhealthy()) {
          return new Outcome(false, "Docker marked it unhealthy after " + HealthWait.seconds(waited), waited);
        }
        ready = health.equals("healthy");
        if (!ready) {
          lastProblem = "health status '" + health + "'";
        }
      } else {
        upSince = state.running() ? (upSince == null ? now : upSince) : null;
        ready = upSince != null && now - upSince >= HealthWait.MIN_UPTIME.toNanos();
        if (!ready) {
          lastProblem = "not yet up for " + HealthWait.seconds(HealthWait.MIN_UPTIME);
        }
      }
      if (ready) {
        Optional<String> probeFailure = firstFailure(checks);
        if (probeFailure.isEmpty()) {
          return new Outcome(true, "healthy after " + HealthWait.seconds(waited), waited);
        }
        lastProblem = probeFailure.get();
      }
      if (now > deadline) {
        return new Outcome(false, "not healthy after " + HealthWait.seconds(waited) + ": " + lastProblem, waited);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Outcome(false, "interrupted while waiting", waited);
      }
    }
  }

  private static Optional<String> firstFailure(List<Supplier<Optional<String>>> checks) {
    for (Supplier<Optional<String>> check : checks) {
      Optional<String> failure = check.get();
      if (failure.isPresent()) {
        return failure;
      }
    }
    return Optional.empty();
  }
}
