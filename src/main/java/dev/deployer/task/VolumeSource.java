package dev.deployer.task;

import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.DockerException;
import dev.deployer.docker.DockerNames;
import dev.deployer.ssh.Command;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a backup's data lives: a path among a container's volumes ({@code container} + {@code path}),
 * or a named volume. Backups and restores reach it through a throwaway helper container that
 * mounts it: the container's own image, or {@code helper_image} (which needs sh and tar).
 */
record VolumeSource(String container, String path, String volume, String helperImage) {

  static List<Arg> args() {
    return List.of(
        Arg.string("container", "the container whose volume it is").matching(DockerNames.CONTAINER, DockerNames.CONTAINER_HELP),
        Arg.string("path", "with container: the volume's path inside it").absolutePath(),
        Arg.string("volume", "a named volume, instead of container and path"),
        Arg.string("helper_image", "the image the copy runs in (default: the container's own; needs sh and tar)")
            .matching(DockerNames.IMAGE, DockerNames.IMAGE_HELP));
  }

  static VolumeSource from(Args args) {
    VolumeSource source = new VolumeSource(args.string("container", null), args.string("path", null),
        args.string("volume", null), args.string("helper_image", null));
    if ((source.container == null) == (source.volume == null)) {
      throw args.error("container", "give container with path, or volume (one of them)");
    }
    if (source.container != null && source.path == null) {
      throw args.error("path", "is required with container: the volume's path inside it");
    }
    if (source.volume != null && source.helperImage == null) {
      throw args.error("helper_image", "is required with volume: a named volume has no image of its own");
    }
    return source;
  }

  /** "db:/var/lib/data" or "volume pgdata", for reports. */
  String describe() {
    return container != null ? container + ":" + path : "volume " + volume;
  }

  /** A name for files: "db-var-lib-data" or "pgdata". */
  String fileLabel() {
    return container != null ? container + path.replaceAll("[^A-Za-z0-9_.]+", "-").replaceAll("-$", "") : volume;
  }

  /** Where the data is inside the helper. */
  String dataPath() {
    return container != null ? path : "/volume";
  }

  /** The helper's options that mount the data. */
  List<String> mounts() {
    return container != null ? List.of("--volumes-from", container) : List.of("--volume", volume + ":/volume");
  }

  /** The helper's image: given, or the container's own. */
  String image(Docker docker) {
    if (helperImage != null) {
      return helperImage;
    }
    return docker.inspectContainer(container).map(c -> c.path("Config").path("Image").asText())
        .orElseThrow(() -> new DockerException("there is no container " + container));
  }

  /** A helper run: the mounts, then {@code extra} options, then sh -c SCRIPT with its values. */
  Command.Argv helper(Docker docker, List<String> extra, String script, String... values) {
    List<String> options = new ArrayList<>(mounts());
    options.addAll(extra);
    options.addAll(List.of("--entrypoint", "sh"));
    List<String> args = new ArrayList<>(List.of("-c", script, "sh"));
    args.addAll(List.of(values));
    return DockerCommands.runOnce(image(docker), options, args);
  }
}
