package dev.deployer.server;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

/**
 * Which replica of deployer serve runs each project's queue: a lease in the shared database that
 * its holder renews while it drains the queue. One holder per project means one active
 * deployment per project across all replicas; a replica that dies stops renewing, and once its
 * lease has run out the next replica to claim the project takes over (its cut-off deployment is
 * marked interrupted, its deploy locks on the hosts taken over as stale). With SQLite there is
 * one server, and a lease left by its previous run is cleared as it starts.
 */
final class ProjectLeases {
  /** How long a lease holds without renewal: longer than any pause a live replica has between beats. */
  static final Duration TERM = Duration.ofSeconds(10);

  private final Database db;
  private final String me;

  ProjectLeases(Database db) {
    this.db = db;
    this.me = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
  }

  String me() {
    return me;
  }

  /**
   * Takes or renews the project's lease; false while another live replica holds it. {@code
   * anew} runs, in the same transaction, when the lease came from another holder (or none).
   */
  boolean claim(String project, Database.Work<Void> anew) throws SQLException {
    long now = System.currentTimeMillis();
    return db.transaction(c -> {
      String before = null;
      try (var p = c.prepareStatement("select owner from project_leases where project = ?" + db.engine().claimRows())) {
        p.setString(1, project);
        try (var r = p.executeQuery()) {
          before = r.next() ? r.getString(1) : null;
        }
      }
      int taken = DeploymentStore.update(c, """
          insert into project_leases(project, owner, until_ms) values (?,?,?)
          on conflict (project) do update set owner = excluded.owner, until_ms = excluded.until_ms
          where project_leases.until_ms < ? or project_leases.owner = excluded.owner""",
          project, me, now + TERM.toMillis(), now);
      if (taken == 1 && !me.equals(before)) {
        anew.run(c);
      }
      return taken == 1;
    });
  }

  /** Keeps the project's lease; false when it was lost (this replica was away longer than the term). */
  boolean renew(String project) throws SQLException {
    return db.call(c -> DeploymentStore.update(c, "update project_leases set until_ms = ? where project = ? and owner = ?",
        System.currentTimeMillis() + TERM.toMillis(), project, me)) == 1;
  }

  void release(String project) throws SQLException {
    db.call(c -> DeploymentStore.update(c, "delete from project_leases where project = ? and owner = ?", project, me));
  }

  /** SQLite: the one server starts; whatever its last run held is its own and over. */
  void clearAll() throws SQLException {
    db.call(c -> DeploymentStore.update(c, "delete from project_leases"));
  }
}
