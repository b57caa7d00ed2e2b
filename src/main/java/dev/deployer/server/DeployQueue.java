package dev.deployer.server;

import dev.deployer.server.http.Router;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
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
 */
final class DeployQueue {
  private static final Logger LOG = LoggerFactory.getLogger("deployer.queue");

  private final ServerConfig config;
  private final DeploymentStore store;
  private final DeploymentRunner runner;
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> new Thread(r, "deployer-deploy"));
  /** Wakes a project whose newest deployment waits out the project's delay. */
  private final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "deployer-delay");
    thread.setDaemon(true);
    return thread;
  });
  private final Set<String> draining = new HashSet<>();
  private volatile boolean stopping;

  DeployQueue(ServerConfig config, DeploymentStore store, DeploymentRunner runner) {
    this.config = config;
    this.store = store;
    this.runner = runner;
  }

  /** After a crash: runs cut off midway failed; queued ones (begun or not) run now. */
  void resume() throws SQLException {
    int interrupted = store.failInterrupted();
    if (interrupted > 0) {
      LOG.warn("{} deployment(s) were cut off by the last stop and are marked failed (interrupted)", interrupted);
    }
    forget();
    for (String project : store.projectsWithQueued()) {
      kick(project);
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
    DeploymentRunner.Outcome outcome = runner.run(d, stale);
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
