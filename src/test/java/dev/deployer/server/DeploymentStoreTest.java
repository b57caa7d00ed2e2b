package dev.deployer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue's states, the callback outbox rows and what is let go, on a real SQLite file (and, in
 * {@link PostgresStoreIT}, on a real PostgreSQL server).
 */
class DeploymentStoreTest {
  @TempDir Path dir;
  private Database db;
  private CallbackOutbox outbox;
  private DeploymentStore store;

  /** The database the store runs on. */
  Database database(Path dir) throws SQLException {
    return Database.sqlite(dir);
  }

  @BeforeEach
  void open() throws SQLException {
    db = database(dir);
    outbox = new CallbackOutbox(db, List.of("hooks.example.com"));
    store = new DeploymentStore(db, outbox);
  }

  @AfterEach
  void close() throws SQLException {
    db.close();
  }

  private Deployment queue(String id, String project, String callback, String file) throws SQLException {
    Deployment d = Deployment.queued(id, project, "upload", "example/app:" + id, id, "ci", callback, file, null);
    store.insert(d);
    return d;
  }

  private static DeploymentRunner.Outcome ok() {
    return new DeploymentRunner.Outcome("ok", null, 0, Map.of("h1", Map.of("ok", 2, "changed", 1)));
  }

  @Test
  void aDeploymentIsActiveOnlyOnceItsRunBeginsAndOnlyThatIsFailedByARestart() throws SQLException {
    queue("a", "web", null, null);
    queue("b", "web", "https://hooks.example.com/cb/b", null);
    queue("c", "web", "https://evil.example.net/cb/c", null);
    Deployment next = store.takeNext("web").orElseThrow();
    assertEquals("c", next.id());
    assertEquals("await", store.get("c").orElseThrow().state(), "taken but not begun");
    assertEquals("changed", store.get("a").orElseThrow().state());
    assertEquals("changed", store.get("b").orElseThrow().state());
    assertEquals(Map.of("pending", 1), outbox.counts(), "b's callback is written with its state");

    assertEquals(0, store.failInterrupted(), "a restart now would run c, not fail it");
    store.start("c");
    assertEquals(1, store.failInterrupted());
    Deployment c = store.get("c").orElseThrow();
    assertEquals("failed", c.state());
    assertEquals("interrupted", c.reason());
    assertEquals(Map.of("pending", 1, "skipped", 1), outbox.counts(), "c's callback names a host not allowed");
  }

  @Test
  void finishingWritesHostsStateAndCallbackTogether() throws SQLException {
    Deployment d = queue("a", "web", "https://hooks.example.com/cb/a", null);
    store.takeNext("web");
    store.start("a");
    store.finish(d, ok());
    Deployment done = store.get("a").orElseThrow();
    assertEquals("ok", done.state());
    assertEquals(1, done.hosts().get("h1").get("changed"));
    assertEquals(Map.of("pending", 1), outbox.counts());
  }

  /** A replica away past its lease comes back to a deployment another replica already ended: it ends once. */
  @Test
  void aDeploymentTakenOverIsNotEndedAgainByTheReplicaThatLostIt() throws SQLException {
    Deployment d = queue("a", "web", "https://hooks.example.com/cb/a", null);
    store.takeNext("web");
    store.start("a");
    assertEquals(1, (int) db.transaction(c -> store.interruptOrphans(c, "web")));
    store.finish(d, ok());
    Deployment ended = store.get("a").orElseThrow();
    assertEquals("failed", ended.state());
    assertEquals("interrupted", ended.reason());
    assertEquals(Map.of("pending", 1), outbox.counts(), "one callback: the interruption's");
  }

  @Test
  void uploadsBeyondTheNewestKeptOkOnesAreLetGo() throws SQLException {
    for (String id : List.of("u1", "u2", "u3", "u4")) {
      Deployment d = queue(id, "web", null, "/data/uploads/" + id + "/image.tar");
      store.takeNext("web");
      store.start(id);
      store.finish(d, id.equals("u3") ? new DeploymentRunner.Outcome("failed", "x", 2, Map.of()) : ok());
    }
    assertEquals(List.of("u3", "u1"), store.uploadsToRemove("web", 2).stream().map(Deployment::id).toList());
    store.filesRemoved("u1");
    assertEquals(null, store.get("u1").orElseThrow().imageFile());
    assertEquals(List.of("u3"), store.uploadsToRemove("web", 2).stream().map(Deployment::id).toList());
  }

  @Test
  void oldDeploymentsAreForgottenAndStatsAreOneAggregate() throws SQLException {
    for (int i = 0; i < 40; i++) {
      Deployment d = queue("d" + i, i % 2 == 0 ? "web" : "api", null, null);
      store.takeNext(d.project());
      store.start(d.id());
      store.finish(d, i % 10 == 0 ? new DeploymentRunner.Outcome("failed", "x", 2, Map.of()) : ok());
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> web = (Map<String, Object>) store.stats().get("web");
    assertEquals(Map.of("ok", 16, "failed", 4), web.get("states"));
    assertEquals(20L, web.get("finished"));
    assertTrue(web.get("p95_ms") != null && web.get("mean_ms") != null, web.toString());
    store.saveLog("d1", "first lines");
    store.saveLog("d1", "first lines\nand the rest");
    assertEquals(java.util.Optional.of("first lines\nand the rest"), store.log("d1"));
    assertEquals(java.util.Optional.empty(), store.log("d2"));
    assertEquals(List.of(), store.trim(Duration.ofDays(1)));
    assertEquals(40, store.trim(Duration.ofMillis(-1000)).size(), "everything finished before a second from now");
    assertTrue(store.stats().isEmpty(), "the stats follow what is stored");
    assertFalse(store.get("d1").isPresent());
    assertEquals(java.util.Optional.empty(), store.log("d1"), "its log copy goes with it");
  }

  @Test
  void aHookIdIsTakenOncePerProject() throws SQLException {
    Instant now = Instant.now();
    assertTrue(store.rememberHookId("web", "msg_1", now));
    assertFalse(store.rememberHookId("web", "msg_1", now.plusSeconds(60)));
    assertTrue(store.rememberHookId("api", "msg_1", now));
    assertTrue(store.rememberHookId("web", "msg_1", now.plus(Duration.ofMinutes(11))), "forgotten once it cannot be fresh");
  }
}
