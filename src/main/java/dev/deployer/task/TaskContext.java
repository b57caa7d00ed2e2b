package dev.deployer.task;

import dev.deployer.ssh.Remote;
import java.nio.file.Path;

/**
 * What a task may use on one host.
 *
 * @param check true under --check: read the host, change nothing
 * @param playbookDir local paths in a playbook are relative to its directory
 * @param run who is running what, for deploy locks and release records
 */
public record TaskContext(String host, Remote remote, boolean check, Path playbookDir, RunInfo run) {

  /**
   * @param runId identifies one deployer run in locks and labels
   * @param operator "user@machine" of whoever runs deployer
   * @param breakLock --break-lock: a deploy lock left by another run may be taken over
   * @param staleRuns runs known to be dead (a server's interrupted deployments): their locks are taken over
   */
  public record RunInfo(String runId, String operator, boolean breakLock, java.util.Set<String> staleRuns) {
    public RunInfo(String runId, String operator, boolean breakLock) {
      this(runId, operator, breakLock, java.util.Set.of());
    }
  }
}
