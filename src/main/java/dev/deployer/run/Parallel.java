package dev.deployer.run;

import dev.deployer.ssh.Remote;
import dev.deployer.ssh.RemoteException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** The one way deployer works on several hosts at once: a piece of work per item, up to a limit at a time. */
public final class Parallel {
  private Parallel() {}

  /** Interrupts every one of them at once (each may wait a moment for its command to end); returns when all have. */
  public static void interruptAll(List<? extends Remote> remotes) {
    each(remotes, remotes.size(), remote -> {
      remote.interrupt();
      return null;
    });
  }

  /** One item's outcome: its value, or what it threw. */
  public record Outcome<T, R>(T item, R value, RuntimeException error) {}

  /**
   * Does {@code work} for every item, at most {@code limit} at once, and returns the outcomes in the
   * items' order once all have ended. What one item throws is its outcome; the others go on.
   */
  public static <T, R> List<Outcome<T, R>> each(List<T> items, int limit, Function<T, R> work) {
    if (items.isEmpty()) {
      return List.of();
    }
    ExecutorService threads = Executors.newFixedThreadPool(Math.max(1, Math.min(limit, items.size())), runnable -> {
      Thread thread = new Thread(runnable, "deployer-host");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<R>> futures = new ArrayList<>();
      items.forEach(item -> futures.add(threads.submit(() -> work.apply(item))));
      List<Outcome<T, R>> outcomes = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        try {
          outcomes.add(new Outcome<>(items.get(i), futures.get(i).get(), null));
        } catch (ExecutionException e) {
          RuntimeException error = e.getCause() instanceof RuntimeException runtime
              ? runtime : new IllegalStateException(e.getCause());
          outcomes.add(new Outcome<>(items.get(i), null, error));
        }
      }
      return outcomes;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RemoteException("interrupted");
    } finally {
      threads.shutdownNow();
    }
  }
}
