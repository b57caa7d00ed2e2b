package dev.deployer.task;

/** How a task ended on one host. */
public enum Status {
  /** Nothing to do: the host was already as asked. */
  OK,
  /** The host was changed (or, under --check, would be). */
  CHANGED,
  FAILED,
  /** Not run: its {@code when} was false, or it was tagged out. */
  SKIPPED,
  /** The host could not be reached, so nothing ran. */
  UNREACHABLE;

  public String label() {
    return name().toLowerCase();
  }
}
