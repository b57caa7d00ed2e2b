package dev.deployer.task;

import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.Remote;
import dev.deployer.ssh.RemoteException;
import dev.deployer.ssh.ShellQuote;
import java.time.Instant;

/**
 * A per-service deploy lock on the host: a directory made with {@code mkdir} (atomic on every
 * filesystem) holding who took it, when and in which run, readable by a person with {@code cat}.
 */
final class DeployLock implements AutoCloseable {
  static final String ROOT = "/var/lib/deployer/locks";

  private final Remote remote;
  private final String dir;

  private DeployLock(Remote remote, String dir) {
    this.remote = remote;
    this.dir = dir;
  }

  /** Takes the lock, or fails saying who holds it; with breakLock, takes over a held lock. */
  static DeployLock acquire(Remote remote, String service, TaskContext.RunInfo run) {
    String dir = ROOT + "/" + service;
    String info = "run_id=" + run.runId() + "\nholder=" + run.operator() + "\nsince=" + Instant.now() + "\n";
    String take = "mkdir -p " + ShellQuote.quote(ROOT) + " && mkdir " + ShellQuote.quote(dir)
        + " 2>/dev/null && printf '%s' " + ShellQuote.quote(info) + " > " + ShellQuote.quote(dir + "/info");
    String line = "sh -c " + ShellQuote.quote(take);
    if (remote.run(line).ok()) {
      return new DeployLock(remote, dir);
    }
    CommandResult held = remote.run("cat " + ShellQuote.quote(dir + "/info"));
    String holder = held.ok() ? held.stdout().strip().replace('\n', ' ') : "(no details)";
    java.util.regex.Matcher runId = java.util.regex.Pattern.compile("run_id=(\\S+)").matcher(holder);
    boolean stale = runId.find() && run.staleRuns().contains(runId.group(1));
    if (run.breakLock() || stale) {
      remote.run("rm -rf " + ShellQuote.quote(dir));
      if (remote.run(line).ok()) {
        return new DeployLock(remote, dir);
      }
    }
    throw new RemoteException("deploy lock for " + service + " is held (" + holder + ") at " + dir
        + "; another run is deploying it. If that run is gone, rerun with --break-lock");
  }

  @Override
  public void close() {
    remote.run("rm -rf " + ShellQuote.quote(dir));
  }
}
