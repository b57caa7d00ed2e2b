package dev.deployer.yaml;

/** A place in a file, so that every error can say where the user should look. */
public record Location(String file, int line, int column) {

  public static Location of(String file) {
    return new Location(file, 0, 0);
  }

  @Override
  public String toString() {
    return line > 0 ? file + ":" + line : file;
  }
}
