package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ComposeUpdateTest {
  /** A Compose file's "image: app" runs app:latest, so a push of app:latest is its tag. */
  @Test
  void anImageWithoutATagMeansLatestAndARegistryPortIsNoTag() {
    assertEquals("app:latest", ComposeUpdate.withTag("app"));
    assertEquals("10.0.0.1:5000/team/app:latest", ComposeUpdate.withTag("10.0.0.1:5000/team/app"));
    assertEquals("10.0.0.1:5000/team/app:v2", ComposeUpdate.withTag("10.0.0.1:5000/team/app:v2"));
    assertEquals("app:latest", ComposeUpdate.withTag("app@sha256:" + "0".repeat(64)));
  }
}
