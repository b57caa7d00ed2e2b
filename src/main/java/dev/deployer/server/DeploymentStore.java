package dev.deployer.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deployments and their per-host results in SQLite under data_dir, so a restart (even a SIGKILL)
 * loses nothing. One connection, used by one thread at a time.
 */
public final class DeploymentStore implements AutoCloseable {
  private final Connection db;

  public DeploymentStore(Path dataDir) throws SQLException {
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
      s.execute("create index if not exists deployments_project on deployments(project, state, seq)");
    }
  }

  public synchronized void insert(Deployment d) throws SQLException {
    try (PreparedStatement p = db.prepareStatement("""
        insert into deployments(id, project, state, source, image, tag, requested_by, callback_url, image_file,
          package_file, created_at) values (?,?,?,?,?,?,?,?,?,?,?)""")) {
      p.setString(1, d.id());
      p.setString(2, d.project());
      p.setString(3, "await");
      p.setString(4, d.source());
      p.setString(5, d.image());
      p.setString(6, d.tag());
      p.setString(7, d.requestedBy());
      p.setString(8, d.callbackUrl());
      p.setString(9, d.imageFile());
      p.setString(10, d.packageFile());
      p.setString(11, Instant.now().toString());
      p.executeUpdate();
    }
  }

  /**
   * Takes the project's next deployment: the newest queued one becomes active, and older queued
   * ones become "changed" (superseded). The superseded ones are returned for their callbacks.
   */
  public synchronized Optional<Deployment> takeNext(String project, List<Deployment> superseded) throws SQLException {
    List<Deployment> queued = query("select * from deployments where project = ? and state = 'await' order by seq", project);
    if (queued.isEmpty()) {
      return Optional.empty();
    }
    Deployment newest = queued.get(queued.size() - 1);
    for (Deployment old : queued.subList(0, queued.size() - 1)) {
      finish(old.id(), "changed", "superseded by " + newest.id(), null);
      superseded.add(get(old.id()).orElseThrow());
    }
    try (PreparedStatement p = db.prepareStatement("update deployments set state = 'active', started_at = ? where id = ?")) {
      p.setString(1, Instant.now().toString());
      p.setString(2, newest.id());
      p.executeUpdate();
    }
    return get(newest.id());
  }

  public synchronized void finish(String id, String state, String reason, Integer exitCode) throws SQLException {
    try (PreparedStatement p = db.prepareStatement("""
        update deployments set state = ?, reason = ?, exit_code = ?, finished_at = ?,
          duration_ms = case when started_at is null then null
            else cast((julianday(?) - julianday(started_at)) * 86400000 as integer) end
        where id = ?""")) {
      String now = Instant.now().toString();
      p.setString(1, state);
      p.setString(2, reason);
      if (exitCode == null) {
        p.setNull(3, java.sql.Types.INTEGER);
      } else {
        p.setInt(3, exitCode);
      }
      p.setString(4, now);
      p.setString(5, now);
      p.setString(6, id);
      p.executeUpdate();
    }
  }

  public synchronized void hostResult(String id, String host, Map<String, Integer> counts) throws SQLException {
    try (PreparedStatement p = db.prepareStatement(
        "insert or replace into host_results values (?,?,?,?,?,?,?)")) {
      p.setString(1, id);
      p.setString(2, host);
      int i = 3;
      for (String key : List.of("ok", "changed", "failed", "skipped", "unreachable")) {
        p.setInt(i++, counts.getOrDefault(key, 0));
      }
      p.executeUpdate();
    }
  }

  /** At start-up: a deployment that was active when the server died did not finish. */
  public synchronized int failInterrupted() throws SQLException {
    List<Deployment> active = query("select * from deployments where state = 'active'");
    for (Deployment d : active) {
      finish(d.id(), "failed", "interrupted", null);
    }
    return active.size();
  }

  /** Deployments of a project that a dead server left unfinished: their deploy locks are stale. */
  public synchronized java.util.Set<String> interrupted(String project) throws SQLException {
    java.util.Set<String> ids = new java.util.HashSet<>();
    query("select * from deployments where project = ? and state = 'failed' and reason = 'interrupted'", project)
        .forEach(d -> ids.add(d.id()));
    return ids;
  }

  public synchronized List<String> projectsWithQueued() throws SQLException {
    List<String> projects = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("select distinct project from deployments where state = 'await'")) {
      while (r.next()) {
        projects.add(r.getString(1));
      }
    }
    return projects;
  }

  public synchronized Optional<Deployment> get(String id) throws SQLException {
    List<Deployment> found = query("select * from deployments where id = ?", id);
    return found.stream().findFirst();
  }

  public synchronized Optional<Deployment> latest(String project) throws SQLException {
    return query("select * from deployments where project = ? order by seq desc limit 1", project).stream().findFirst();
  }

  public synchronized List<Deployment> recent(int limit) throws SQLException {
    return query("select * from deployments order by seq desc limit " + Math.max(1, limit));
  }

  public synchronized int queued() throws SQLException {
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("select count(*) from deployments where state in ('await', 'active')")) {
      return r.getInt(1);
    }
  }

  /** Per project: deployments by state, and mean and p95 duration of finished ones. */
  public synchronized Map<String, Object> stats() throws SQLException {
    Map<String, Object> byProject = new LinkedHashMap<>();
    for (Deployment d : query("select * from deployments order by seq")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> entry = (Map<String, Object>) byProject.computeIfAbsent(d.project(), p -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("states", new LinkedHashMap<String, Integer>());
        m.put("durations", new ArrayList<Long>());
        return m;
      });
      @SuppressWarnings("unchecked")
      Map<String, Integer> states = (Map<String, Integer>) entry.get("states");
      states.merge(d.state(), 1, Integer::sum);
      if (d.durationMs() != null && (d.state().equals("ok") || d.state().equals("failed"))) {
        @SuppressWarnings("unchecked")
        List<Long> durations = (List<Long>) entry.get("durations");
        durations.add(d.durationMs());
      }
    }
    for (Object value : byProject.values()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> entry = (Map<String, Object>) value;
      @SuppressWarnings("unchecked")
      List<Long> durations = (List<Long>) entry.remove("durations");
      durations.sort(null);
      entry.put("finished", durations.size());
      entry.put("mean_ms", durations.isEmpty() ? null : durations.stream().mapToLong(Long::longValue).sum() / durations.size());
      entry.put("p95_ms", durations.isEmpty() ? null : durations.get((int) Math.ceil(durations.size() * 0.95) - 1));
    }
    return byProject;
  }

  private List<Deployment> query(String sql, String... params) throws SQLException {
    List<Deployment> out = new ArrayList<>();
    try (PreparedStatement p = db.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        p.setString(i + 1, params[i]);
      }
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(row(r));
        }
      }
    }
    return out;
  }

  private Deployment row(ResultSet r) throws SQLException {
    String id = r.getString("id");
    Map<String, Map<String, Integer>> hosts = new LinkedHashMap<>();
    try (PreparedStatement p = db.prepareStatement("select * from host_results where deployment_id = ? order by host")) {
      p.setString(1, id);
      try (ResultSet h = p.executeQuery()) {
        while (h.next()) {
          Map<String, Integer> counts = new LinkedHashMap<>();
          for (String key : List.of("ok", "changed", "failed", "skipped", "unreachable")) {
            counts.put(key, h.getInt(key));
          }
          hosts.put(h.getString("host"), counts);
        }
      }
    }
    int exit = r.getInt("exit_code");
    Integer exitCode = r.wasNull() ? null : exit;
    long duration = r.getLong("duration_ms");
    Long durationMs = r.wasNull() ? null : duration;
    return new Deployment(id, r.getString("project"), r.getString("state"), r.getString("reason"), exitCode,
        r.getString("source"), r.getString("image"), r.getString("tag"), r.getString("requested_by"),
        r.getString("callback_url"), r.getString("image_file"), r.getString("package_file"),
        r.getString("created_at"), r.getString("started_at"), r.getString("finished_at"), durationMs, hosts);
  }

  @Override
  public synchronized void close() throws SQLException {
    db.close();
  }
}
