package dev.deployer.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker Hub's callbacks, as rows written with the deployment's state change and sent by a
 * worker of their own: a callback that never answers holds up nothing but itself, one that fails
 * is tried again with backoff, and one not yet sent when the server dies is sent after the
 * restart (at least once). A callback_url on a host not in callback_hosts is recorded as
 * skipped and never called.
 */
final class CallbackOutbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("deployer.callbacks");
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int MAX_ATTEMPTS = 8;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Database db;
  private final List<String> allowedHosts;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER).build();
  /**
   * How long a claimed callback is this server's to send before another may take it up: one
   * request's timeout and a margin (callbacks are claimed one at a time).
   */
  private static final Duration CLAIM = TIMEOUT.plusSeconds(5);
  private final String claimant = java.util.UUID.randomUUID().toString();
  private final Thread worker;
  private final Object wake = new Object();
  private volatile boolean stopping;

  CallbackOutbox(Database db, List<String> allowedHosts) {
    this.db = db;
    this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    this.worker = new Thread(this::work, "deployer-callbacks");
    worker.setDaemon(true);
  }

  /** Alone on SQLite, a callback this server was sending when it stopped is due again at once. */
  void start() throws SQLException {
    if (db.engine() == Database.Engine.SQLITE) {
      db.call(c -> DeploymentStore.update(c, "update callbacks set state = 'pending' where state = 'sending'"));
    }
    worker.start();
  }

  /** Why a URL may not be called, or null when it may. */
  String refusal(String url) {
    return refusal(url, allowedHosts);
  }

  /** Why a URL may not be called with these hosts allowed ("host" or "host:port"), or null when it may. */
  static String refusal(String url, List<String> allowedHosts) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "not a URL";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null || uri.getRawUserInfo() != null) {
      return "not an http(s) URL with a host";
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    String hostPort = uri.getPort() < 0 ? host : host + ":" + uri.getPort();
    List<String> allowed = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    return allowed.contains(host) || allowed.contains(hostPort) ? null : "host " + hostPort + " is not in callback_hosts";
  }

  /** Writes the deployment's callback (if it has a URL) in the caller's transaction. */
  void add(Connection c, Deployment d, String state, String description) throws SQLException {
    if (d.callbackUrl() == null || d.callbackUrl().isBlank()) {
      return;
    }
    String payload;
    try {
      payload = JSON.writeValueAsString(Map.of("state", state, "description", truncate(description, 255),
          "context", "deployer", "target_url", ""));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    String refusal = refusal(d.callbackUrl());
    DeploymentStore.update(c, """
        insert into callbacks(deployment_id, url, payload, state, next_at, last_error, created_at)
        values (?,?,?,?,?,?,?)""", d.id(), d.callbackUrl(), payload, refusal == null ? "pending" : "skipped",
        System.currentTimeMillis(), refusal, Instant.now().toString());
    if (refusal != null) {
      LOG.warn("callback of deployment {} skipped: {}", d.id(), refusal);
    }
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /**
   * A project's notify URL gets the deployment's summary, written in the caller's transaction and
   * sent like a callback (retried, at least once). The URL was checked against callback_hosts when
   * the config loaded.
   */
  void notice(Connection c, Deployment d, String url, Map<String, Object> summary) throws SQLException {
    String payload;
    try {
      payload = JSON.writeValueAsString(summary);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    DeploymentStore.update(c, """
        insert into callbacks(deployment_id, url, payload, state, next_at, last_error, created_at)
        values (?,?,?,'pending',?,null,?)""", d.id(), url, payload, System.currentTimeMillis(), Instant.now().toString());
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /** Callbacks by state, for /info. */
  Map<String, Integer> counts() throws SQLException {
    return db.call(c -> {
      Map<String, Integer> counts = new java.util.TreeMap<>();
      try (PreparedStatement p = c.prepareStatement("select state, count(*) from callbacks group by state");
          ResultSet r = p.executeQuery()) {
        while (r.next()) {
          counts.put(r.getString(1), r.getInt(2));
        }
      }
      return counts;
    });
  }

  private record Due(long seq, String deploymentId, String url, String payload, int attempts) {}

  private void work() {
    while (!stopping) {
      try {
        List<Due> due = due();
        for (Due callback : due) {
          if (stopping) {
            return;
          }
          send(callback);
        }
        if (due.isEmpty()) {
          synchronized (wake) {
            wake.wait(1000);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (SQLException | RuntimeException e) {
        LOG.error("callback worker", e);
        try {
          TimeUnit.SECONDS.sleep(1);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  /**
   * The callbacks due now, each claimed for this server for {@link #CLAIM}: a replica on the same
   * database skips the rows another is sending, and takes up those whose sender died once its
   * claim has run out.
   */
  private List<Due> due() throws SQLException {
    long now = System.currentTimeMillis();
    return db.transaction(c -> {
      List<Due> due = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("""
          select seq, deployment_id, url, payload, attempts from callbacks
          where (state = 'pending' and next_at <= ?) or (state = 'sending' and claim_until < ?)
          order by next_at limit 1""" + db.engine().claimRows())) {
        p.setLong(1, now);
        p.setLong(2, now);
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            due.add(new Due(r.getLong(1), r.getString(2), r.getString(3), r.getString(4), r.getInt(5)));
          }
        }
      }
      for (Due callback : due) {
        DeploymentStore.update(c, "update callbacks set state = 'sending', claimed_by = ?, claim_until = ? where seq = ?",
            claimant, now + CLAIM.toMillis(), callback.seq());
      }
      return due;
    });
  }

  private void send(Due callback) throws SQLException, InterruptedException {
    String error;
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(callback.url())).timeout(TIMEOUT)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(callback.payload())).build();
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      error = status >= 200 && status < 300 ? null : "answered " + status;
    } catch (java.io.IOException | IllegalArgumentException e) {
      error = failure(e, callback.url());
    }
    int attempts = callback.attempts() + 1;
    String state = error == null ? "sent" : attempts >= MAX_ATTEMPTS ? "failed" : "pending";
    // Backoff: 2 s, 4 s, 8 s ... up to 10 minutes between tries.
    long next = System.currentTimeMillis() + Math.min(600_000L, 1000L << Math.min(attempts, 20));
    String lastError = error;
    db.call(c -> DeploymentStore.update(c, "update callbacks set state = ?, attempts = ?, next_at = ?, last_error = ? where seq = ?",
        state, attempts, next, lastError, callback.seq()));
    if (error != null) {
      LOG.warn("callback of deployment {} (try {}): {}{}", callback.deploymentId(), attempts, error,
          state.equals("failed") ? "; giving up" : "");
    }
  }

  /**
   * Why a call failed, in words. Java's HTTP client throws a refused connection as a
   * ConnectException with no message at all, so the message is looked for down the causes, and
   * the kind of failure named when there is none.
   */
  static String failure(Exception e, String url) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return e.getClass().getSimpleName() + ": " + t.getMessage();
      }
    }
    String peer = URI.create(url).getRawAuthority();
    if (e instanceof java.net.ConnectException) {
      return "cannot connect to " + peer + " (refused, or no route)";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no answer from " + peer + " within " + TIMEOUT.toSeconds() + " s";
    }
    return e.getClass().getSimpleName() + " calling " + peer;
  }

  private static String truncate(String text, int max) {
    return text == null ? "" : text.length() <= max ? text : text.substring(0, max);
  }

  @Override
  public void close() {
    stopping = true;
    worker.interrupt();
    try {
      worker.join(TIMEOUT.toMillis() + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
