package dev.deployer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.ssh.SshOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentRunnerTest {
  @TempDir Path dir;

  @Test
  void anUploadThatIsNotOnThisReplicaFailsSayingWhyBeforeAnyHostIsTouched() throws Exception {
    Files.writeString(dir.resolve("hosts.yml"), "web:\n  hosts:\n    h1: {address: 192.0.2.10}\n");
    Files.writeString(dir.resolve("deploy.yml"), "- hosts: web\n  tasks:\n    - fail: {msg: never reached}\n");
    Files.writeString(dir.resolve("server.yml"), """
        inventory: hosts.yml
        projects:
          web:
            playbook: deploy.yml
            hosts: web
        """);
    ServerConfig config = ServerConfig.load(dir.resolve("server.yml"), name -> null);
    Deployment d = Deployment.queued("u1", "web", "upload", "example/app:u1", "u1", "ci", null,
        dir.resolve("uploads/u1/image.tar").toString(), null);
    DeploymentRunner.Outcome outcome = new DeploymentRunner(config, SshOptions.defaults()).run(d, Set.of());
    assertEquals("failed", outcome.state());
    assertTrue(outcome.reason().contains("is not on this server: replicas that share a database need one uploads_dir"),
        outcome.reason());
    assertTrue(Files.readString(DeploymentRunner.logFile(config, "u1")).contains("is not on this server"));
  }
}
