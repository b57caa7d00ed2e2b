package dev.deployer.task;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What one run works out once for all its hosts (a local tree sync_dir sends to every one of
 * them): kept for the run only, so the next run, or a server's next deployment, reads afresh.
 */
public final class RunMemo {
  private final Map<Object, Object> values = new ConcurrentHashMap<>();

  /** The value for {@code key}, made by {@code make} once, whichever host's task asks first. */
  @SuppressWarnings("unchecked")
  public <T> T get(Object key, Supplier<T> make) {
    return (T) values.computeIfAbsent(key, k -> make.get());
  }
}
