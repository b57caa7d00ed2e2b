package dev.deployer.task;

import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.Remote;
import dev.deployer.ssh.RemoteException;
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
  static DeployLock acquire(Remote remote, String service, TaskContext.RunInfo run, Instant now) {
    String dir = ROOT + "/" + service;
    String info = "run_id=" + run.runId() + "\nholder=" + run.operator() + "\nsince=" + now + "\n";
    Command take = Command.of("mkdir", "-p", ROOT)
        .and(Command.of("mkdir", dir).quietErrors())
        .and(Command.of("printf", "%s", info).outputTo(dir + "/info"));
    if (remote.run(take).ok()) {
      return new DeployLock(remote, dir);
    }
    CommandResult held = remote.run(Command.of("cat", dir + "/info"));
    String holder = held.ok() ? held.stdout().strip().replace('\n', ' ') : "(no details)";
    java.util.regex.Matcher runId = java.util.regex.Pattern.compile("run_id=(\\S+)").matcher(holder);
    boolean stale = runId.find() && run.staleRuns().contains(runId.group(1));
    if (run.breakLock() || stale) {
      remote.run(Command.of("rm", "-rf", dir));
      if (remote.run(take).ok()) {
        return new DeployLock(remote, dir);
      }
    }
    throw new RemoteException("deploy lock for " + service + " is held (" + holder + ") at " + dir
        + "; another run is deploying it. If that run is gone, rerun with --break-lock");
  }

  @Override
  public void close() {
    remote.run(Command.of("rm", "-rf", dir));
  }
}
