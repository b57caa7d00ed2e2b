package dev.deployer.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ContainerStateTest {
  @Test
  void anErrorExitOrARestartLoopIsAFailureWithoutAnyHealthcheck() {
    ContainerState crashed = ContainerState.parse("/api|exited||1|0");
    assertTrue(crashed.failed());
    assertEquals("exited (code 1)", crashed.describe());
    ContainerState looping = ContainerState.parse("/worker|restarting||2|4");
    assertTrue(looping.restarting());
    assertEquals("restarting (restarted 4 times)", looping.describe());
    assertTrue(ContainerState.parse("/gone|dead||137|0").failed());
  }

  @Test
  void aJobThatFinishedWellIsNoFailure() {
    ContainerState done = ContainerState.parse("/migrate|exited||0|0");
    assertFalse(done.failed());
    assertEquals("exited (code 0)", done.describe());
    assertEquals("running, healthy", ContainerState.parse("/web|running|healthy|0|0").describe());
  }
}
