package dev.deployer.task;

import dev.deployer.docker.Docker;
import dev.deployer.docker.HealthGate;
import dev.deployer.ssh.Remote;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What a task may use on one host: the connection and the collaborators built on it, handed in so
 * that a test can hand in its own.
 *
 * @param docker the docker CLI on this host
 * @param healthGate waits for a container's health on this host
 * @param clock the time release records and aside names carry
 * @param check true under --check: read the host, change nothing
 * @param playbookDir local paths in a playbook are relative to its directory
 * @param run who is running what, for deploy locks and release records
 */
public record TaskContext(String host, Remote remote, Docker docker, HealthGate healthGate, Clock clock,
    boolean check, Path playbookDir, RunInfo run) {

  /** The context of a real run: docker and the health gate over this connection, the system clock. */
  public static TaskContext on(String host, Remote remote, boolean check, Path playbookDir, RunInfo run) {
    Docker docker = new Docker(remote);
    return new TaskContext(host, remote, docker, new HealthGate(docker, remote), Clock.systemUTC(), check,
        playbookDir, run);
  }

  /**
   * @param runId identifies one deployer run in locks and labels
   * @param operator "user@machine" of whoever runs deployer
   * @param breakLock --break-lock: a deploy lock left by another run may be taken over
   * @param staleRuns runs known to be dead (a server's interrupted deployments): their locks are taken over
   * @param lockWait how long to wait for a deploy lock whose holder is alive
   * @param memo what the run works out once for all its hosts
   */
  public record RunInfo(String runId, String operator, boolean breakLock, java.util.Set<String> staleRuns,
      java.time.Duration lockWait, RunMemo memo) {
    public RunInfo(String runId, String operator, boolean breakLock) {
      this(runId, operator, breakLock, java.util.Set.of(), java.time.Duration.ofMinutes(1), new RunMemo());
    }

    /** This machine's name: where a run's process is, as locks and release records say. */
    public static String machine() {
      String host = System.getenv("HOSTNAME");
      if (host == null || host.isBlank()) {
        try {
          host = java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname")).trim();
        } catch (java.io.IOException e) {
          host = "unknown";
        }
      }
      return host;
    }
  }
}
