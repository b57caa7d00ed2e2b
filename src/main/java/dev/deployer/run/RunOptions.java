package dev.deployer.run;

import java.util.List;
import java.util.Map;

/**
 * How a playbook run goes, from the command line.
 *
 * @param limit a host pattern that further narrows every play's hosts, or null
 * @param tags run only tasks with one of these tags (and those tagged "always"); empty for all
 * @param extraVars -e variables, which win over every other variable
 * @param breakLock take over deploy locks that another run left behind
 * @param runId names this run in locks and release labels (null: a random one)
 * @param staleRuns runs known to be dead, whose deploy locks may be taken over
 * @param forks hosts worked on at once, 1 or more (the command line checks it)
 * @param lockWait how long a deploy waits for a lock whose holder is alive (Kamal's default: a minute)
 */
public record RunOptions(
    boolean check,
    String limit,
    List<String> tags,
    List<String> skipTags,
    Map<String, Object> extraVars,
    int forks,
    boolean verbose,
    boolean breakLock,
    String runId,
    java.util.Set<String> staleRuns,
    java.time.Duration lockWait) {

  public static final java.time.Duration LOCK_WAIT = java.time.Duration.ofMinutes(1);

  public RunOptions(boolean check, String limit, List<String> tags, List<String> skipTags,
      Map<String, Object> extraVars, int forks, boolean verbose, boolean breakLock, String runId,
      java.util.Set<String> staleRuns) {
    this(check, limit, tags, skipTags, extraVars, forks, verbose, breakLock, runId, staleRuns, LOCK_WAIT);
  }

  public RunOptions(boolean check, String limit, List<String> tags, List<String> skipTags,
      Map<String, Object> extraVars, int forks, boolean verbose, boolean breakLock) {
    this(check, limit, tags, skipTags, extraVars, forks, verbose, breakLock, null, java.util.Set.of());
  }

  public RunOptions(boolean check, String limit, List<String> tags, List<String> skipTags,
      Map<String, Object> extraVars, int forks, boolean verbose) {
    this(check, limit, tags, skipTags, extraVars, forks, verbose, false, null, java.util.Set.of());
  }

  public RunOptions {
    tags = List.copyOf(tags);
    skipTags = List.copyOf(skipTags);
    extraVars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extraVars));
    staleRuns = java.util.Set.copyOf(staleRuns);
  }
}
