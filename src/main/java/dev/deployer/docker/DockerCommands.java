package dev.deployer.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code docker} command lines deployer runs, as argument lists. Quoting happens once, when
 * the SSH layer turns a list into a line, so tests here check arguments, not strings.
 */
public final class DockerCommands {
  /** The label in which docker_build records what an image was built from. */
  public static final String BUILD_HASH_LABEL = "deployer.build-hash";

  private DockerCommands() {}

  /** Prints the value of one label of an image; fails when the image does not exist. */
  public static List<String> imageLabel(String image, String label) {
    return List.of("docker", "image", "inspect", "--format",
        "{{ index .Config.Labels \"" + label + "\" }}", image);
  }

  public static List<String> imageId(String image) {
    return List.of("docker", "image", "inspect", "--format", "{{.Id}}", image);
  }

  public static List<String> build(
      String image, String context, String dockerfile, Map<String, String> buildArgs, Map<String, String> labels) {
    List<String> argv = new ArrayList<>(List.of("docker", "build", "--tag", image, "--file", dockerfile));
    buildArgs.forEach((name, value) -> {
      argv.add("--build-arg");
      argv.add(name + "=" + value);
    });
    labels.forEach((name, value) -> {
      argv.add("--label");
      argv.add(name + "=" + value);
    });
    argv.add(context);
    return argv;
  }
}
