package dev.deployer.docker;

/**
 * A container's state as Docker reports it, read one way for every caller (the health gate, the
 * health check): {@code .State.Status}, {@code .State.Health.Status}, exit code, restart count.
 *
 * @param health "healthy", "unhealthy", "starting", or "" for a container without a HEALTHCHECK
 */
public record ContainerState(String name, String status, String health, int exitCode, int restarts) {

  /** One line of {@link DockerCommands#STATE_FORMAT}. */
  static ContainerState parse(String line) {
    String[] parts = line.split("\\|", -1);
    if (parts.length != 5) {
      throw new DockerException("cannot read docker's container state: '" + line + "'");
    }
    return new ContainerState(parts[0].replaceFirst("^/", ""), parts[1], parts[2],
        Integer.parseInt(parts[3].trim()), Integer.parseInt(parts[4].trim()));
  }

  public boolean running() {
    return status.equals("running");
  }

  public boolean exited() {
    return status.equals("exited") || status.equals("dead");
  }

  public boolean unhealthy() {
    return health.equals("unhealthy");
  }

  /** Docker is restarting it after it exited: its restart policy at work, often a crash loop. */
  public boolean restarting() {
    return status.equals("restarting");
  }

  /** It ended with an error: an exit code other than 0, or dead. A job that finished well is not a failure. */
  public boolean failed() {
    return status.equals("dead") || status.equals("exited") && exitCode != 0;
  }

  /** "running, healthy", "exited (code 1)", "restarting (restarted 4 times)", as a person reads it. */
  public String describe() {
    String detail = exited() ? " (code " + exitCode + ")"
        : restarting() ? " (restarted " + restarts + (restarts == 1 ? " time)" : " times)") : "";
    return status + detail + (health.isEmpty() ? "" : ", " + health);
  }
}
