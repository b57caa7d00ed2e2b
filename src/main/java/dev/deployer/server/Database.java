package dev.deployer.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The server's SQLite database under data_dir: deployments, their per-host results, the callback
 * outbox and the hook ids already seen. One connection, one caller at a time; work that must
 * land together (a deployment's end and its callback) runs in one transaction.
 */
final class Database implements AutoCloseable {
  /** Work on the connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection db) throws SQLException;
  }

  private final Connection db;

  Database(Path dataDir) throws SQLException {
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create " + dataDir + ": " + e.getMessage(), e);
    }
    db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("deployer.db"));
    try (Statement s = db.createStatement()) {
      s.execute("pragma journal_mode=wal");
      s.execute("pragma busy_timeout=5000");
      s.execute("""
          create table if not exists deployments(
            seq integer primary key autoincrement, id text unique not null, project text not null,
            state text not null, reason text, exit_code integer, source text, image text, tag text,
            requested_by text, callback_url text, image_file text, package_file text,
            created_at text not null, started_at text, finished_at text, duration_ms integer)""");
      s.execute("""
          create table if not exists host_results(
            deployment_id text not null, host text not null, ok integer, changed integer, failed integer,
            skipped integer, unreachable integer, primary key (deployment_id, host))""");
      addColumn(s, "deployments", "not_before text");
      s.execute("create index if not exists deployments_project on deployments(project, state, seq)");
      s.execute("create index if not exists deployments_finished on deployments(finished_at)");
      s.execute("""
          create index if not exists deployments_durations on deployments(project, duration_ms)
          where state in ('ok', 'failed') and duration_ms is not null""");
      s.execute("""
          create table if not exists callbacks(
            seq integer primary key autoincrement, deployment_id text not null, url text not null,
            payload text not null, state text not null, attempts integer not null default 0,
            next_at integer not null, last_error text, created_at text not null)""");
      s.execute("create index if not exists callbacks_due on callbacks(state, next_at)");
      s.execute("""
          create table if not exists hook_ids(
            project text not null, id text not null, seen_at integer not null, primary key (project, id))""");
    }
  }

  /** A column later versions added: made in a database an earlier version created, left alone after. */
  private static void addColumn(Statement s, String table, String column) throws SQLException {
    try {
      s.execute("alter table " + table + " add column " + column);
    } catch (SQLException e) {
      if (!String.valueOf(e.getMessage()).contains("duplicate column")) {
        throw e;
      }
    }
  }

  synchronized <T> T call(Work<T> work) throws SQLException {
    return work.run(db);
  }

  synchronized <T> T transaction(Work<T> work) throws SQLException {
    db.setAutoCommit(false);
    try {
      T result = work.run(db);
      db.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(true);
    }
  }

  @Override
  public synchronized void close() throws SQLException {
    db.close();
  }
}
