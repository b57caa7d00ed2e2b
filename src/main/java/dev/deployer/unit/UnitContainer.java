package dev.deployer.unit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One container of a unit: the {@code container} task's keys (without name and state), whether it
 * only holds data, and the seed's {@code daemon} (HTTP answers) and {@code job} (a one-shot's end)
 * checks.
 *
 * @param daemon the check task's arguments for its HTTP answers, or empty
 * @param job the check task's job arguments (without container), or empty
 * @param buildSrc a directory here sent to the build context on the host before each build, or null
 */
public record UnitContainer(String name, Map<String, Object> config, boolean data, Map<String, Object> daemon,
    Map<String, Object> job, java.nio.file.Path buildSrc) {

  String image() {
    return String.valueOf(config.get("image"));
  }

  boolean built() {
    return config.get("build") instanceof Map;
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> build() {
    return (Map<String, Object>) config.get("build");
  }

  List<String> volumesFrom() {
    return strings(config.get("volumes_from"));
  }

  /** Its volumes' paths inside it, bind mounts left out: what its backup copies. */
  List<String> ownVolumePaths() {
    List<String> paths = new ArrayList<>();
    for (String volume : strings(config.get("volumes"))) {
      String[] parts = volume.split(":");
      if (parts.length == 1) {
        paths.add(parts[0]);
      } else if (!isHostPath(parts[0])) {
        paths.add(parts[1]);
      }
    }
    return paths;
  }

  boolean hasOwnVolumes() {
    return !ownVolumePaths().isEmpty();
  }

  static boolean isHostPath(String source) {
    return source.startsWith("/") || source.startsWith(".") || source.startsWith("~");
  }

  static List<String> strings(Object value) {
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return value == null ? List.of() : List.of(String.valueOf(value));
  }
}
