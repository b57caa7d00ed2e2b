package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Location;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerTaskTest {
  private static String problem(Map<String, Object> given) {
    return assertThrows(ConfigException.class,
        () -> ContainerTask.TYPE.factory().apply(Args.check(ContainerTask.TYPE, given, Map.of(), Location.of("play.yml"))))
        .getMessage();
  }

  @Test
  void mistakesAreNamedBeforeAnyHostIsTouched() {
    assertTrue(problem(Map.of("name", "db")).contains("is required unless state is absent"));
    assertTrue(problem(Map.of("name", "db", "image", "postgres:16", "network_aliases", java.util.List.of("pg")))
        .contains("needs network"));
    assertTrue(problem(Map.of("name", "db", "image", "postgres:16", "state", "running")).contains("state"));
    assertTrue(problem(Map.of("name", "db", "image", "postgres:16", "build", Map.of("contxt", "/srv/db")))
        .contains("unknown key 'contxt' (did you mean 'context'?)"));
    assertTrue(assertThrows(ConfigException.class, () -> ExecTask.TYPE.factory().apply(Args.check(ExecTask.TYPE,
        Map.of("container", "db", "run", java.util.List.of("ls"), "shell", "ls"), Map.of(), Location.of("play.yml"))))
        .getMessage().contains("one of them"));
    assertTrue(assertThrows(ConfigException.class, () -> ExecTask.TYPE.factory().apply(Args.check(ExecTask.TYPE,
        Map.of("container", "host", "run", java.util.List.of("ls"), "type", "temporary"), Map.of(), Location.of("play.yml"))))
        .getMessage().contains("host runs the command on the host itself"));
    // Absent needs no image.
    ContainerTask.TYPE.factory().apply(Args.check(ContainerTask.TYPE, Map.of("name", "db", "state", "absent"), Map.of(),
        Location.of("play.yml")));
  }
}
