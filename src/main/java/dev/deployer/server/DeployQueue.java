package dev.deployer.server;

import dev.deployer.server.http.Router;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One deployment at a time per project, projects in parallel. The queue lives in the database: a
 * worker takes the newest queued deployment of its project (older queued ones are superseded),
 * once the project's delay after it has passed, and marks it active as its run begins, so a
 * restart runs whatever had not begun and fails only what was cut off midway. After each run, old
 * uploads and old history are let go.
 *
 * <p>Replicas on a shared database: a worker drains a project only while it holds the project's
 * lease ({@link ProjectLeases}), renewed every two seconds; every second each replica looks for
 * projects with work, so a deployment one replica accepted is run by whichever holds its project,
 * and a project whose holder died is taken over once its lease runs out.
 */
final class DeployQueue {
  private static final Logger LOG = LoggerFactory.getLogger("deployer.queue");

  private final ServerConfig config;
  private final DeploymentStore store;
  private final DeploymentRunner runner;
  private final ProjectLeases leases;
  private final boolean shared;
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> new Thread(r, "deployer-deploy"));
  /** Wakes a project whose newest deployment waits out the project's delay; renews leases; looks for work. */
  private final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "deployer-delay");
    thread.setDaemon(true);
    return thread;
  });
  private final Set<String> draining = new HashSet<>();
  /** The projects whose lease this replica holds now. */
  private final Set<String> held = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  /** @param shared whether other replicas use the database (PostgreSQL) */
  DeployQueue(ServerConfig config, DeploymentStore store, DeploymentRunner runner, ProjectLeases leases, boolean shared) {
    this.config = config;
    this.store = store;
    this.runner = runner;
    this.leases = leases;
    this.shared = shared;
  }

  /**
   * At start: alone on SQLite, runs cut off midway by the last stop are failed and its leases
   * cleared; shared, that is left to each project's next claim. Then queued ones run.
   */
  void resume() throws SQLException {
    if (!shared) {
      int interrupted = store.failInterrupted();
      if (interrupted > 0) {
        LOG.warn("{} deployment(s) were cut off by the last stop and are marked failed (interrupted)", interrupted);
      }
      leases.clearAll();
    }
    forget();
    lookForWork();
    timer.scheduleWithFixedDelay(this::renewLeases, 2, 2, TimeUnit.SECONDS);
    if (shared) {
      timer.scheduleWithFixedDelay(this::lookForWork, 1, 1, TimeUnit.SECONDS);
    }
  }

  private void lookForWork() {
    try {
      store.projectsWithWork().forEach(this::kick);
    } catch (SQLException e) {
      LOG.error("looking for queued deployments", e);
    }
  }

  private void renewLeases() {
    for (String project : List.copyOf(held)) {
      try {
        if (!leases.renew(project)) {
          LOG.error("the lease of project {} was lost (this replica was away longer than {} s)", project,
              ProjectLeases.TERM.toSeconds());
        }
      } catch (SQLException e) {
        LOG.error("renewing the lease of project {}", project, e);
      }
    }
  }

  /** Queues a deployment (state await; after the project's delay, if it has one) and wakes its project's worker. */
  void submit(Deployment d) throws SQLException {
    ServerConfig.Project project = config.projects().get(d.project());
    boolean delayed = project != null && !project.delay().isZero();
    store.insert(delayed ? d.notBefore(java.time.Instant.now().plus(project.delay())) : d);
    kick(d.project());
  }

  synchronized void kick(String project) {
    if (stopping || !draining.add(project)) {
      return;
    }
    workers.submit(() -> drain(project));
  }

  private void drain(String project) {
    boolean leased;
    try {
      leased = leases.claim(project, c -> {
        int orphans = store.interruptOrphans(c, project);
        if (orphans > 0) {
          LOG.warn("{} deployment(s) of {} were cut off by the replica that ran them and are marked failed (interrupted)",
              orphans, project);
        }
        return null;
      });
    } catch (SQLException e) {
      LOG.error("claiming project {}", project, e);
      leased = false;
    }
    if (!leased) {
      synchronized (this) {
        draining.remove(project);
      }
      return;
    }
    held.add(project);
    while (true) {
      Optional<Deployment> next;
      synchronized (this) {
        try {
          Optional<java.time.Instant> wait = store.waitUntil(project, java.time.Instant.now());
          if (wait.isPresent() && !stopping) {
            long millis = Math.max(1, java.time.Duration.between(java.time.Instant.now(), wait.get()).toMillis());
            timer.schedule(() -> kick(project), millis, TimeUnit.MILLISECONDS);
          }
          next = stopping || wait.isPresent() ? Optional.empty() : store.takeNext(project);
        } catch (SQLException e) {
          LOG.error("reading the queue of {}", project, e);
          next = Optional.empty();
        }
        if (next.isEmpty()) {
          held.remove(project);
          try {
            leases.release(project);
          } catch (SQLException e) {
            LOG.error("releasing the lease of project {}", project, e);
          }
          draining.remove(project);
          return;
        }
      }
      run(next.get());
    }
  }

  private void run(Deployment d) {
    Set<String> stale;
    try {
      stale = store.interrupted(d.project());
      store.start(d.id());
    } catch (SQLException e) {
      LOG.error("starting deployment {}", d.id(), e);
      return;
    }
    LOG.info("deployment {} of {} begins: {}", d.id(), d.project(), d.image());
    // Shared, the log is copied to the database as it grows, so any replica can show it.
    java.util.concurrent.Future<?> copying = null;
    if (shared) {
      try {
        copying = timer.scheduleWithFixedDelay(() -> copyLog(d.id()), 2, 2, TimeUnit.SECONDS);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        // Shutting down: the copy after the run is enough.
      }
    }
    DeploymentRunner.Outcome outcome = runner.run(d, stale);
    if (shared) {
      if (copying != null) {
        copying.cancel(false);
      }
      copyLog(d.id());
    }
    try {
      ServerConfig.Project project = config.projects().get(d.project());
      store.finish(d, outcome, project == null ? java.util.List.of() : project.notifyUrls());
    } catch (SQLException e) {
      // Left active: the next start marks it interrupted, which is the truth as far as we know.
      LOG.error("recording the end of deployment {}", d.id(), e);
    }
    LOG.info("deployment {} of {} ended: {}{}", d.id(), d.project(), outcome.state(),
        outcome.reason() == null ? "" : " (" + outcome.reason() + ")");
    removeOldUploads(d.project());
    forget();
  }

  private void copyLog(String id) {
    try {
      Path log = DeploymentRunner.logFile(config, id);
      if (Files.exists(log)) {
        store.saveLog(id, Files.readString(log));
      }
    } catch (IOException | SQLException e) {
      LOG.error("copying the log of deployment {} to the database", id, e);
    }
  }

  private void removeOldUploads(String project) {
    try {
      for (Deployment old : store.uploadsToRemove(project, config.keepUploads())) {
        Router.deleteTree(uploadDir(config, old.id()));
        store.filesRemoved(old.id());
      }
    } catch (SQLException e) {
      LOG.error("removing old uploads of {}", project, e);
    }
  }

  private void forget() {
    try {
      for (String id : store.trim(Duration.ofDays(config.keepDays()))) {
        Router.deleteTree(uploadDir(config, id));
        Files.deleteIfExists(DeploymentRunner.logFile(config, id));
      }
    } catch (SQLException | IOException e) {
      LOG.error("forgetting deployments older than {} days", config.keepDays(), e);
    }
  }

  static Path uploadDir(ServerConfig config, String id) {
    return config.uploadsDir().resolve(id);
  }

  /** Stops taking queued work and lets the active deployments finish. */
  void shutdown(long waitSeconds) throws InterruptedException {
    synchronized (this) {
      stopping = true;
    }
    timer.shutdownNow();
    workers.shutdown();
    workers.awaitTermination(waitSeconds, TimeUnit.SECONDS);
  }
}
