package dev.deployer.yaml;

/**
 * A mistake in what the user wrote (inventory, playbook, variables, command line). Its message is
 * one line that starts with the file and line, ready to print as it is.
 */
public class ConfigException extends RuntimeException {
  private final Location location;

  public ConfigException(Location location, String message) {
    super(location == null ? message : location + ": " + message);
    this.location = location;
  }

  public ConfigException(Location location, String message, Throwable cause) {
    super(location == null ? message : location + ": " + message, cause);
    this.location = location;
  }

  public Location location() {
    return location;
  }
}
