package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RedeployContainerTaskTest {
  @Test
  void theRepositoryIsTheImageWithoutItsTagOrDigest() {
    assertEquals("hello", RedeployContainerTask.repository("hello:1.0.0"));
    assertEquals("hello", RedeployContainerTask.repository("hello"));
    assertEquals("registry:5000/team/app", RedeployContainerTask.repository("registry:5000/team/app:1.2"));
    assertEquals("registry:5000/team/app", RedeployContainerTask.repository("registry:5000/team/app"));
    assertEquals("app", RedeployContainerTask.repository("app@sha256:0123abcd"));
  }
}
