package dev.deployer.server;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts events per client over the last minute; past the limit, the client gets 429. */
final class RateLimiter {
  private static final long WINDOW_NANOS = 60_000_000_000L;
  private final Map<String, Deque<Long>> events = new ConcurrentHashMap<>();

  /** Records an event and says whether the client is still within {@code perMinute}. */
  boolean allow(String client, int perMinute) {
    Deque<Long> times = events.computeIfAbsent(client, c -> new ArrayDeque<>());
    synchronized (times) {
      prune(times);
      if (times.size() >= perMinute) {
        return false;
      }
      times.addLast(System.nanoTime());
      return true;
    }
  }

  /** Whether the client is over the limit, without counting a new event. */
  boolean exceeded(String client, int perMinute) {
    Deque<Long> times = events.get(client);
    if (times == null) {
      return false;
    }
    synchronized (times) {
      prune(times);
      return times.size() >= perMinute;
    }
  }

  void record(String client) {
    Deque<Long> times = events.computeIfAbsent(client, c -> new ArrayDeque<>());
    synchronized (times) {
      prune(times);
      times.addLast(System.nanoTime());
    }
  }

  private static void prune(Deque<Long> times) {
    long now = System.nanoTime();
    while (!times.isEmpty() && now - times.peekFirst() > WINDOW_NANOS) {
      times.removeFirst();
    }
  }
}
