package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deployer.testbed.Apps;
import dev.deployer.testbed.Testbed;
import dev.deployer.testbed.Testbed.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container task on a real host: a data container and a service that mounts its volumes, each
 * kept at a state, recreated when its configuration changes, and never removed with its data by
 * accident.
 */
class ContainerIT {
  private static final String HOST = "h3";
  private final Testbed testbed = new Testbed();
  private final String unit = "ct" + UUID.randomUUID().toString().substring(0, 6);
  private final String data = unit + "-data";
  private final String app = unit + "-app";

  @TempDir Path work;

  @AfterEach
  void removeContainers() {
    testbed.status(HOST, "docker", "rm", "-f", "-v", app, data);
    testbed.status(HOST, "docker", "image", "rm", "-f", unit + "-app:1");
  }

  private Result play(String tasks, String... extra) throws Exception {
    return testbed.play(work, HOST, tasks, extra);
  }

  private String unitTasks(String appEnv, String appState) {
    return """
        - container: {name: %1$s, image: "{{base_image}}", state: created, volumes: ["/data"], command: ["true"]}
        - container:
            name: %2$s
            image: "%3$s-app:1"
            build: {context: /opt/it-apps/%3$s, build_args: {BASE: "{{base_image}}", VERSION: "1"}}
            volumes_from: [%1$s]
            env: {GREETING: "%4$s"}
            state: %5$s
            stop_timeout: 1
        """.formatted(data, app, unit, appEnv, appState);
  }

  private String state(String container) {
    return testbed.docker(HOST, "inspect", "--format", "{{.State.Status}}", container).strip();
  }

  @Test
  void aDataContainerAndAServiceOnItsVolumesAreKeptAtTheirStates() throws Exception {
    Path context = work.resolve("app");
    Files.createDirectories(context);
    Files.writeString(context.resolve("Dockerfile"), Apps.GOOD);
    Result sync = play("- sync_dir: {src: " + context + ", dest: /opt/it-apps/" + unit + "}");
    assertEquals(0, sync.exitCode(), sync.toString());

    Result first = play(unitTasks("one", "started"));
    assertEquals(0, first.exitCode(), first.toString());
    assertTrue(first.out().contains("changed: [" + HOST + "] Build " + unit + "-app:1, create " + app + ", start " + app), first.out());
    assertEquals("created", state(data));
    assertEquals("running", state(app));
    testbed.docker(HOST, "exec", app, "sh", "-c", "echo kept > /data/file");
    assertTrue(play(unitTasks("one", "started")).out().contains(HOST + " : ok=2 changed=0"));

    Result check = play(unitTasks("two", "started"), "--check");
    assertTrue(check.out().contains("would recreate " + app + " (its configuration changed), start " + app), check.out());
    assertTrue(check.out().contains("env.GREETING: (value) -> (new value)"), check.out());
    assertEquals("one", testbed.docker(HOST, "exec", app, "sh", "-c", "echo $GREETING").strip(), "--check changed nothing");

    Result changed = play(unitTasks("two", "started"));
    assertEquals(0, changed.exitCode(), changed.toString());
    assertEquals("two", testbed.docker(HOST, "exec", app, "sh", "-c", "echo $GREETING").strip());
    assertEquals("kept", testbed.docker(HOST, "exec", app, "cat", "/data/file").strip(), "the data container kept the data");

    assertEquals(0, play(unitTasks("two", "stopped")).exitCode());
    assertEquals("exited", state(app));
    assertTrue(play(unitTasks("two", "stopped")).out().contains(HOST + " : ok=2 changed=0"));
    Result restarted = play(unitTasks("two", "restarted"));
    assertTrue(restarted.out().contains(HOST + " : ok=1 changed=1"), restarted.out());
    assertEquals("running", state(app));

    // The data container's own volume: a recreation would leave it behind, a removal would lose it.
    Result recreate = play("- container: {name: " + data + ", image: \"{{base_image}}\", state: created, volumes: [\"/data\"],"
        + " command: [\"sh\"]}");
    assertEquals(2, recreate.exitCode(), recreate.toString());
    assertTrue(recreate.out().contains("would leave its anonymous volumes behind"), recreate.out());
    testbed.docker(HOST, "rm", "-f", app);
    Result absent = play("- container: {name: " + data + ", state: absent}");
    assertEquals(2, absent.exitCode(), absent.toString());
    assertTrue(absent.out().contains(data + " holds volumes"), absent.out());
    assertEquals("created", state(data));
    String volume = testbed.docker(HOST, "inspect", "--format", "{{range .Mounts}}{{.Name}}{{end}}", data).strip();
    Result removed = play("- container: {name: " + data + ", state: absent, remove_volumes: true}");
    assertEquals(0, removed.exitCode(), removed.toString());
    assertEquals(1, testbed.status(HOST, "docker", "volume", "inspect", volume), "the volume went with it");
    assertTrue(play("- container: {name: " + data + ", state: absent}").out().contains(HOST + " : ok=1 changed=0"));
  }
}
