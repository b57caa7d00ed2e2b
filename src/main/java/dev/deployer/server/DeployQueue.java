package dev.deployer.server;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One deployment at a time per project, projects in parallel. The queue lives in the database: a
 * worker takes the newest queued deployment of its project (older queued ones are superseded),
 * so a restart picks up exactly where the last run stopped.
 */
final class DeployQueue {
  private final DeploymentStore store;
  private final DeploymentRunner runner;
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "deployer-deploy");
    t.setDaemon(false);
    return t;
  });
  private final Set<String> draining = new HashSet<>();
  private volatile boolean stopping;

  DeployQueue(DeploymentStore store, DeploymentRunner runner) {
    this.store = store;
    this.runner = runner;
  }

  /** After a crash: the interrupted deployment failed; the queued ones run. */
  void resume() throws SQLException {
    store.failInterrupted();
    for (String project : store.projectsWithQueued()) {
      kick(project);
    }
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
      List<Deployment> superseded = new ArrayList<>();
      synchronized (this) {
        try {
          next = stopping ? Optional.empty() : store.takeNext(project, superseded);
        } catch (SQLException e) {
          next = Optional.empty();
        }
        if (next.isEmpty()) {
          draining.remove(project);
          return;
        }
      }
      for (Deployment old : superseded) {
        runner.callback(old, "error", "superseded by a newer deployment of " + project);
      }
      Deployment d = next.get();
      java.util.Set<String> stale;
      try {
        stale = store.interrupted(project);
      } catch (SQLException e) {
        stale = java.util.Set.of();
      }
      DeploymentRunner.Outcome outcome = runner.run(d, stale);
      try {
        for (var host : outcome.hosts().entrySet()) {
          store.hostResult(d.id(), host.getKey(), host.getValue());
        }
        store.finish(d.id(), outcome.state(), outcome.reason(), outcome.exitCode());
      } catch (SQLException e) {
        // Left active: the next start marks it interrupted, which is the truth as far as we know.
      }
      runner.callback(d, outcome.state().equals("ok") ? "success" : "failure",
          outcome.state().equals("ok") ? "deployed " + d.image() : "deploy failed: " + outcome.reason());
    }
  }

  /** Stops taking queued work and lets the active deployments finish. */
  void shutdown(long waitSeconds) throws InterruptedException {
    synchronized (this) {
      stopping = true;
    }
    workers.shutdown();
    workers.awaitTermination(waitSeconds, TimeUnit.SECONDS);
  }
}
