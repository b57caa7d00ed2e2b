package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TaskTypesTest {
  @Test
  void everyBuiltinNameLoadsTheTypeOfThatNameAndNoOther() {
    TaskTypes types = TaskTypes.builtin();
    assertEquals(21, types.names().size());
    for (String name : types.names()) {
      assertEquals(name, types.find(name).orElseThrow().name());
    }
    assertTrue(types.find("docker_buidl").isEmpty());
    assertTrue(types.helpSection().contains("  swarm_service"), "help lists them all");
  }
}
