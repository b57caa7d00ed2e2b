package dev.deployer.server;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts events per key over a sliding window. Keys with nothing left in the window are swept
 * out now and then, so a flood of made-up keys costs memory for one window only.
 */
final class RateLimiter {
  private static final int SWEEP_EVERY = 1024;

  private final long windowNanos;
  private final Map<String, Deque<Long>> events = new ConcurrentHashMap<>();
  private final AtomicInteger sinceSweep = new AtomicInteger();

  RateLimiter(Duration window) {
    this.windowNanos = window.toNanos();
  }

  /** Records an event and says whether the key is still within {@code limit}. */
  boolean allow(String key, int limit) {
    Deque<Long> times = times(key);
    synchronized (times) {
      prune(times);
      if (times.size() >= limit) {
        return false;
      }
      times.addLast(System.nanoTime());
      return true;
    }
  }

  /** Whether the key is at or over the limit, without counting a new event. */
  boolean exceeded(String key, int limit) {
    Deque<Long> times = events.get(key);
    if (times == null) {
      return false;
    }
    synchronized (times) {
      prune(times);
      return times.size() >= limit;
    }
  }

  void record(String key) {
    Deque<Long> times = times(key);
    synchronized (times) {
      prune(times);
      times.addLast(System.nanoTime());
    }
  }

  private Deque<Long> times(String key) {
    if (sinceSweep.incrementAndGet() >= SWEEP_EVERY) {
      sinceSweep.set(0);
      sweep();
    }
    return events.computeIfAbsent(key, k -> new ArrayDeque<>());
  }

  private void sweep() {
    events.entrySet().removeIf(entry -> {
      Deque<Long> times = entry.getValue();
      synchronized (times) {
        prune(times);
        return times.isEmpty();
      }
    });
  }

  private void prune(Deque<Long> times) {
    long now = System.nanoTime();
    while (!times.isEmpty() && now - times.peekFirst() > windowNanos) {
      times.removeFirst();
    }
  }
}
