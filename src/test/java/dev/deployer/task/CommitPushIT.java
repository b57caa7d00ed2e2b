package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A container's change committed on one host, pushed to the testbed's registry, pulled and run on another. */
class CommitPushIT {
  private final Testbed testbed = new Testbed();
  private final String id = UUID.randomUUID().toString().substring(0, 6);
  private final String container = "cp-" + id;
  private final String image = testbed.registry() + "/it/commit-" + id + ":1";

  @TempDir Path work;

  @AfterEach
  void removeAll() {
    testbed.removeContainers("cp-", "h1");
    testbed.status("h1", "docker", "image", "rm", image);
    testbed.status("h2", "docker", "image", "rm", image);
  }

  private Result play(String host, String tasks, String... options) throws Exception {
    return testbed.play(work, host, tasks, options);
  }

  private String commit() {
    return """
        - docker_image:
            action: commit
            container: %s
            image: %s
            message: greeting added
            changes: ['CMD ["cat", "/greeting"]']
        """.formatted(container, image);
  }

  /** Every image ID on h1, sorted: docker lists images created in the same second in any order. */
  private List<String> images() {
    return testbed.docker("h1", "images", "-a", "-q", "--no-trunc").lines().sorted().toList();
  }

  private String registryId() {
    return testbed.docker("h1", "manifest", "inspect", "--insecure", image);
  }

  @Test
  void aCommittedChangeIsPushedOnceAndRunsWhereItIsPulled() throws Exception {
    Result made = play("h1", """
        - container: {name: %s, image: "{{base_image}}", command: [sleep, "3600"], stop_timeout: 0}
        - exec: {container: %s, shell: "echo committed-%s > /greeting"}
        """.formatted(container, container, id));
    assertEquals(0, made.exitCode(), made.toString());

    Result checked = play("h1", commit(), "--check");
    assertTrue(checked.out().contains("would commit " + container), checked.out());
    assertEquals(1, testbed.status("h1", "docker", "image", "inspect", image), "--check committed nothing");

    Result committed = play("h1", commit());
    assertEquals(0, committed.exitCode(), committed.toString());
    assertTrue(committed.out().contains("committed " + container + " as " + image), committed.out());
    String first = testbed.docker("h1", "image", "inspect", "-f", "{{.Id}}", image);

    List<String> imagesBefore = images();
    Result again = play("h1", commit());
    assertTrue(again.out().contains("changed=0"), again.out());
    assertEquals(first, testbed.docker("h1", "image", "inspect", "-f", "{{.Id}}", image), "an unchanged container keeps the image");
    assertEquals(imagesBefore, images(), "the equal commit was thrown away");

    Result pushCheck = play("h1", "- docker_image: {action: push, image: " + image + "}", "--check");
    assertTrue(pushCheck.out().contains("would push " + image), pushCheck.out());
    assertNotEquals(0, testbed.status("h1", "docker", "manifest", "inspect", "--insecure", image), "--check pushed nothing");

    Result pushed = play("h1", "- docker_image: {action: push, image: " + image + "}");
    assertEquals(0, pushed.exitCode(), pushed.toString());
    assertTrue(pushed.out().contains("pushed " + image), pushed.out());
    assertTrue(registryId().contains(first.replace("sha256:", "")), "the registry holds the committed image");
    Result pushedAgain = play("h1", "- docker_image: {action: push, image: " + image + "}");
    assertTrue(pushedAgain.out().contains("changed=0") && pushedAgain.out().contains("has " + image), pushedAgain.out());

    Result pulled = play("h2", "- docker_image: {action: pull, image: " + image + "}");
    assertEquals(0, pulled.exitCode(), pulled.toString());
    assertEquals("committed-" + id, testbed.docker("h2", "run", "--rm", image));
  }
}
