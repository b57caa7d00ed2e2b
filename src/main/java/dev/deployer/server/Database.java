package dev.deployer.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The server's database: SQLite under data_dir (embedded, the default), or a PostgreSQL server
 * that replicas of deployer serve share ({@code store: postgresql://...}). Deployments, their
 * per-host results, the callback outbox, the hook ids already seen and the replicas' leases.
 * The schema is Flyway's: versioned migrations per engine under {@code db/migration}. One
 * connection per server, one caller at a time; work that must land together (a deployment's end
 * and its callback) runs in one transaction.
 */
final class Database implements AutoCloseable {
  /** Work on the connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection db) throws SQLException;
  }

  /** The engine: what differs between the two is said here, and only here. */
  enum Engine {
    SQLITE, POSTGRESQL;

    /** Appended to a select whose rows the caller claims: other replicas skip them rather than wait. */
    String claimRows() {
      return this == POSTGRESQL ? " for update skip locked" : "";
    }
  }

  private final Engine engine;
  private final Connection db;

  private Database(Engine engine, Connection db) {
    this.engine = engine;
    this.db = db;
  }

  /** SQLite in {@code dataDir}/deployer.db. */
  static Database sqlite(Path dataDir) throws SQLException {
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create " + dataDir + ": " + e.getMessage(), e);
    }
    String url = "jdbc:sqlite:" + dataDir.resolve("deployer.db");
    Connection db = DriverManager.getConnection(url);
    try (Statement s = db.createStatement()) {
      s.execute("pragma journal_mode=wal");
      s.execute("pragma busy_timeout=5000");
      adoptUnversioned(s);
    }
    migrate(Engine.SQLITE, url, new Properties());
    return new Database(Engine.SQLITE, db);
  }

  /** A PostgreSQL server, from {@code postgresql://user:password@host:port/database?options}. */
  static Database postgresql(String store) throws SQLException {
    Properties login = new Properties();
    String url = jdbcUrl(store, login);
    migrate(Engine.POSTGRESQL, url, login);
    return new Database(Engine.POSTGRESQL, DriverManager.getConnection(url, login));
  }

  /**
   * The JDBC URL of a {@code postgresql://} store, its user and password moved to {@code login}
   * (so they never appear in a URL that could be logged).
   */
  static String jdbcUrl(String store, Properties login) throws SQLException {
    URI uri;
    try {
      uri = new URI(store);
    } catch (URISyntaxException e) {
      throw new SQLException("store: not a URL: " + e.getMessage());
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new SQLException("store: expected postgresql://user:password@host:port/database");
    }
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      login.setProperty("user", URLDecoder.decode(parts[0], StandardCharsets.UTF_8));
      if (parts.length == 2) {
        login.setProperty("password", URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
      }
    }
    return "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
        + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  /**
   * A database made before migrations were versioned has the tables and no history: it gets the
   * column added since then, and Flyway takes it as version 1 (baseline) rather than making it anew.
   */
  private static void adoptUnversioned(Statement s) throws SQLException {
    boolean made;
    try (ResultSet r = s.executeQuery("select count(*) from sqlite_master where type = 'table' and name = 'deployments'")) {
      made = r.next() && r.getInt(1) == 1;
    }
    if (made) {
      try {
        s.execute("alter table deployments add column not_before text");
      } catch (SQLException e) {
        if (!String.valueOf(e.getMessage()).contains("duplicate column")) {
          throw e;
        }
      }
    }
  }

  private static void migrate(Engine engine, String url, Properties login) throws SQLException {
    try {
      Flyway.configure()
          .dataSource(url, login.getProperty("user"), login.getProperty("password"))
          .locations("classpath:db/migration/" + engine.name().toLowerCase(java.util.Locale.ROOT))
          .baselineOnMigrate(true)
          .baselineVersion("1")
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new SQLException("cannot bring the database's schema up to date: " + e.getMessage(), e);
    }
  }

  Engine engine() {
    return engine;
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
