package dev.deployer.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Deployments and their per-host results, so a restart (even a SIGKILL) loses nothing. A
 * deployment's state and the callback that tells of it change in one transaction: a crash
 * between the two cannot lose the callback.
 */
public final class DeploymentStore {
  private static final List<String> COUNTS = List.of("ok", "changed", "failed", "skipped", "unreachable");

  private final Database db;
  private final CallbackOutbox outbox;
  /** Counts writes, so /stat's answer is made again only after something changed. */
  private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
  private volatile Stats stats = new Stats(-1, Map.of());

  private record Stats(long asOf, Map<String, Object> byProject) {}

  DeploymentStore(Database db, CallbackOutbox outbox) {
    this.db = db;
    this.outbox = outbox;
  }

  void insert(Deployment d) throws SQLException {
    writes.incrementAndGet();
    db.call(c -> update(c, """
        insert into deployments(id, project, state, source, image, tag, requested_by, callback_url, image_file,
          package_file, not_before, created_at) values (?,?,'await',?,?,?,?,?,?,?,?,?)""",
        d.id(), d.project(), d.source(), d.image(), d.tag(), d.requestedBy(), d.callbackUrl(), d.imageFile(),
        d.packageFile(), d.notBefore(), Instant.now().toString()));
  }

  /**
   * The project's next deployment: the newest queued one, still queued until {@link #start}.
   * Older queued ones become "changed" (superseded), and their callbacks are written.
   */
  Optional<Deployment> takeNext(String project) throws SQLException {
    writes.incrementAndGet();
    return db.transaction(c -> {
      List<Deployment> queued = query(c, "select * from deployments where project = ? and state = 'await' order by seq", project);
      if (queued.isEmpty()) {
        return Optional.empty();
      }
      Deployment newest = queued.get(queued.size() - 1);
      for (Deployment old : queued.subList(0, queued.size() - 1)) {
        end(c, old.id(), "changed", "superseded by " + newest.id(), null);
        outbox.add(c, old, "error", "superseded by a newer deployment of " + project);
      }
      return Optional.of(newest);
    });
  }

  /**
   * When the project's newest queued deployment may begin, if that is still ahead of {@code now}:
   * a project's delay, so a burst of pushes becomes the last one's deploy.
   */
  Optional<Instant> waitUntil(String project, Instant now) throws SQLException {
    return db.call(c -> {
      List<Deployment> queued = query(c, "select * from deployments where project = ? and state = 'await' order by seq desc limit 1", project);
      return queued.stream().map(Deployment::notBefore).filter(java.util.Objects::nonNull).map(Instant::parse)
          .filter(when -> when.isAfter(now)).findFirst();
    });
  }

  /** The deployment's run begins now; only from here on is it "active". */
  void start(String id) throws SQLException {
    writes.incrementAndGet();
    db.call(c -> update(c, "update deployments set state = 'active', started_at = ? where id = ?", Instant.now().toString(), id));
  }

  /** The deployment's end: host results, state and its callback, together. */
  void finish(Deployment d, DeploymentRunner.Outcome outcome) throws SQLException {
    finish(d, outcome, List.of());
  }

  /** @param notify URLs that get the deployment's summary (the project's notify) */
  void finish(Deployment d, DeploymentRunner.Outcome outcome, List<String> notify) throws SQLException {
    writes.incrementAndGet();
    db.transaction(c -> {
      // A replica that was away past its lease finds its deployment already ended by the one that
      // took the project over: it ended once, as interrupted, and stays so.
      if (query(c, "select * from deployments where id = ? and state = 'active'", d.id()).isEmpty()) {
        org.slf4j.LoggerFactory.getLogger("deployer.queue").warn("deployment {} was ended by another replica meanwhile;"
            + " its outcome here ({}) is not recorded", d.id(), outcome.state());
        return null;
      }
      for (var host : outcome.hosts().entrySet()) {
        List<Object> values = new ArrayList<>(List.of(d.id(), host.getKey()));
        COUNTS.forEach(key -> values.add(host.getValue().getOrDefault(key, 0)));
        update(c, """
            insert into host_results values (?,?,?,?,?,?,?) on conflict (deployment_id, host) do update set
              ok = excluded.ok, changed = excluded.changed, failed = excluded.failed, skipped = excluded.skipped,
              unreachable = excluded.unreachable""", values.toArray());
      }
      end(c, d.id(), outcome.state(), outcome.reason(), outcome.exitCode());
      boolean ok = outcome.state().equals("ok");
      outbox.add(c, d, ok ? "success" : "failure", ok ? "deployed " + d.image() : "deploy failed: " + outcome.reason());
      for (String url : notify) {
        Map<String, Object> summary = new java.util.LinkedHashMap<>();
        summary.put("deployment", d.id());
        summary.put("project", d.project());
        summary.put("state", outcome.state());
        summary.put("ok", ok);
        summary.put("reason", outcome.reason());
        summary.put("image", d.image());
        summary.put("tag", d.tag());
        summary.put("source", d.source());
        summary.put("hosts", outcome.hosts());
        outbox.notice(c, d, url, summary);
      }
      return null;
    });
  }

  /** At start-up: a deployment whose run had begun when the server died did not finish. */
  int failInterrupted() throws SQLException {
    writes.incrementAndGet();
    return db.transaction(c -> {
      List<Deployment> active = query(c, "select * from deployments where state = 'active'");
      for (Deployment d : active) {
        end(c, d.id(), "failed", "interrupted", null);
        outbox.add(c, d, "failure", "deploy interrupted: the server stopped");
      }
      return active.size();
    });
  }

  /**
   * A project's deployments that a replica which died left active (its lease on the project ran
   * out): failed, interrupted, with their callbacks, in the claiming transaction.
   */
  int interruptOrphans(Connection c, String project) throws SQLException {
    writes.incrementAndGet();
    List<Deployment> active = query(c, "select * from deployments where project = ? and state = 'active'", project);
    for (Deployment d : active) {
      end(c, d.id(), "failed", "interrupted", null);
      outbox.add(c, d, "failure", "deploy interrupted: the server running it stopped");
    }
    return active.size();
  }

  /** Deployments of a project that a dead server left unfinished: their deploy locks are stale. */
  Set<String> interrupted(String project) throws SQLException {
    Set<String> ids = new HashSet<>();
    db.call(c -> query(c, "select * from deployments where project = ? and state = 'failed' and reason = 'interrupted'", project))
        .forEach(d -> ids.add(d.id()));
    return ids;
  }

  /** Projects with deployments queued, or active (run here, or left by a replica that died). */
  List<String> projectsWithWork() throws SQLException {
    return db.call(c -> {
      List<String> projects = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("select distinct project from deployments where state in ('await', 'active')")) {
        while (r.next()) {
          projects.add(r.getString(1));
        }
      }
      return projects;
    });
  }

  public Optional<Deployment> get(String id) throws SQLException {
    return db.call(c -> withHosts(c, query(c, "select * from deployments where id = ?", id))).stream().findFirst();
  }

  public Optional<Deployment> latest(String project) throws SQLException {
    return db.call(c -> withHosts(c, query(c, "select * from deployments where project = ? order by seq desc limit 1", project)))
        .stream().findFirst();
  }

  public List<Deployment> recent(int limit) throws SQLException {
    return db.call(c -> withHosts(c, query(c, "select * from deployments order by seq desc limit " + Math.max(1, limit))));
  }

  public int queued() throws SQLException {
    return db.call(c -> {
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("select count(*) from deployments where state in ('await', 'active')")) {
        r.next();
        return r.getInt(1);
      }
    });
  }

  /**
   * Per project: deployments by state, and the count, mean and p95 duration of finished ones;
   * one query, made again only after a deployment changed.
   */
  public Map<String, Object> stats() throws SQLException {
    long asOf = writes.get();
    Stats known = stats;
    // Another replica's writes are not counted here: on a shared database every answer is fresh.
    if (known.asOf() == asOf && db.engine() == Database.Engine.SQLITE) {
      return known.byProject();
    }
    Map<String, Object> fresh = db.call(c -> {
      Map<String, Object> byProject = new LinkedHashMap<>();
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("""
          with states as (select project, state, count(*) as n from deployments group by project, state),
          done as (select project, duration_ms,
                     row_number() over (partition by project order by duration_ms) as place,
                     count(*) over (partition by project) as total
                   from deployments where state in ('ok', 'failed') and duration_ms is not null),
          durations as (select project, count(*) as finished, avg(duration_ms) as mean,
                          max(case when place = (total * 95 + 99) / 100 then duration_ms end) as p95
                        from done group by project)
          select states.project, states.state, states.n, durations.finished, durations.mean, durations.p95
          from states left join durations on durations.project = states.project
          order by states.project, states.state""")) {
        while (r.next()) {
          @SuppressWarnings("unchecked")
          Map<String, Object> entry = (Map<String, Object>) byProject.computeIfAbsent(r.getString(1), p -> new LinkedHashMap<>());
          @SuppressWarnings("unchecked")
          Map<String, Integer> states = (Map<String, Integer>) entry.computeIfAbsent("states", k -> new LinkedHashMap<>());
          states.put(r.getString(2), r.getInt(3));
          long finished = r.getLong(4);
          entry.put("finished", finished);
          entry.put("mean_ms", finished == 0 ? null : Math.round(r.getDouble(5)));
          entry.put("p95_ms", finished == 0 ? null : r.getLong(6));
        }
      }
      return byProject;
    });
    stats = new Stats(asOf, fresh);
    return fresh;
  }

  /** Remembers a signed hook's id; false when the project has seen it (a replay). */
  boolean rememberHookId(String project, String id, Instant now) throws SQLException {
    return db.transaction(c -> {
      // An id older than twice the signature's tolerance cannot come back with a fresh timestamp.
      update(c, "delete from hook_ids where seen_at < ?", now.minus(HookSignature.TOLERANCE.multipliedBy(2)).toEpochMilli());
      try (PreparedStatement p = c.prepareStatement("insert into hook_ids values (?,?,?) on conflict do nothing")) {
        p.setString(1, project);
        p.setString(2, id);
        p.setLong(3, now.toEpochMilli());
        return p.executeUpdate() == 1;
      }
    });
  }

  /**
   * Finished deployments whose uploaded files can go: all but the newest {@code keep} that
   * deployed (those stay for a rollback).
   */
  List<Deployment> uploadsToRemove(String project, int keep) throws SQLException {
    return db.call(c -> {
      List<Deployment> withFiles = query(c, """
          select * from deployments where project = ? and state not in ('await', 'active')
            and (image_file is not null or package_file is not null) order by seq desc""", project);
      List<Deployment> remove = new ArrayList<>();
      int kept = 0;
      for (Deployment d : withFiles) {
        if (d.state().equals("ok") && kept < keep) {
          kept++;
        } else {
          remove.add(d);
        }
      }
      return remove;
    });
  }

  /** Keeps a copy of a deployment's run log as it is now, for replicas that share the database. */
  void saveLog(String id, String text) throws SQLException {
    db.call(c -> update(c, "insert into run_logs values (?,?) on conflict (deployment_id) do update set text = excluded.text",
        id, text));
  }

  /** The copy of a deployment's run log the replica running it saved last. */
  Optional<String> log(String id) throws SQLException {
    return db.call(c -> {
      try (PreparedStatement p = c.prepareStatement("select text from run_logs where deployment_id = ?")) {
        p.setString(1, id);
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? Optional.of(r.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  void filesRemoved(String id) throws SQLException {
    db.call(c -> update(c, "update deployments set image_file = null, package_file = null where id = ?", id));
  }

  /** Forgets deployments that finished longer than {@code keep} ago; returns their ids (for their files). */
  List<String> trim(Duration keep) throws SQLException {
    String cutoff = Instant.now().minus(keep).toString();
    writes.incrementAndGet();
    return db.transaction(c -> {
      List<String> ids = new ArrayList<>();
      query(c, "select * from deployments where finished_at is not null and finished_at < ?", cutoff).forEach(d -> ids.add(d.id()));
      update(c, "delete from host_results where deployment_id in "
          + "(select id from deployments where finished_at is not null and finished_at < ?)", cutoff);
      update(c, "delete from callbacks where state != 'pending' and deployment_id in "
          + "(select id from deployments where finished_at is not null and finished_at < ?)", cutoff);
      update(c, "delete from run_logs where deployment_id in "
          + "(select id from deployments where finished_at is not null and finished_at < ?)", cutoff);
      update(c, "delete from deployments where finished_at is not null and finished_at < ?", cutoff);
      return ids;
    });
  }

  private static void end(Connection c, String id, String state, String reason, Integer exitCode) throws SQLException {
    Instant now = Instant.now();
    String started = null;
    try (PreparedStatement p = c.prepareStatement("select started_at from deployments where id = ?")) {
      p.setString(1, id);
      try (ResultSet r = p.executeQuery()) {
        started = r.next() ? r.getString(1) : null;
      }
    }
    Long duration = started == null ? null : Duration.between(Instant.parse(started), now).toMillis();
    update(c, "update deployments set state = ?, reason = ?, exit_code = ?, finished_at = ?, duration_ms = ? where id = ?",
        state, reason, exitCode, now.toString(), duration, id);
  }

  static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        p.setObject(i + 1, params[i]);
      }
      return p.executeUpdate();
    }
  }

  private static List<Deployment> query(Connection c, String sql, String... params) throws SQLException {
    List<Deployment> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(sql)) {
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

  /** The deployments with their per-host results, read in one query. */
  private static List<Deployment> withHosts(Connection c, List<Deployment> deployments) throws SQLException {
    if (deployments.isEmpty()) {
      return deployments;
    }
    Map<String, Map<String, Map<String, Integer>>> hosts = new LinkedHashMap<>();
    String marks = String.join(",", java.util.Collections.nCopies(deployments.size(), "?"));
    try (PreparedStatement p = c.prepareStatement(
        "select * from host_results where deployment_id in (" + marks + ") order by deployment_id, host")) {
      for (int i = 0; i < deployments.size(); i++) {
        p.setString(i + 1, deployments.get(i).id());
      }
      try (ResultSet h = p.executeQuery()) {
        while (h.next()) {
          Map<String, Integer> counts = new LinkedHashMap<>();
          for (String key : COUNTS) {
            counts.put(key, h.getInt(key));
          }
          hosts.computeIfAbsent(h.getString("deployment_id"), k -> new LinkedHashMap<>()).put(h.getString("host"), counts);
        }
      }
    }
    return deployments.stream().map(d -> d.withHosts(hosts.getOrDefault(d.id(), Map.of()))).toList();
  }

  private static Deployment row(ResultSet r) throws SQLException {
    int exit = r.getInt("exit_code");
    Integer exitCode = r.wasNull() ? null : exit;
    long duration = r.getLong("duration_ms");
    Long durationMs = r.wasNull() ? null : duration;
    return new Deployment(r.getString("id"), r.getString("project"), r.getString("state"), r.getString("reason"), exitCode,
        r.getString("source"), r.getString("image"), r.getString("tag"), r.getString("requested_by"),
        r.getString("callback_url"), r.getString("image_file"), r.getString("package_file"), r.getString("not_before"),
        r.getString("created_at"), r.getString("started_at"), r.getString("finished_at"), durationMs, Map.of());
  }
}
