package dev.deployer.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;

/**
 * How long to wait for Docker to decide whether a container is healthy. Docker marks a container
 * unhealthy only after its start period plus {@code retries} failed probes, each taking up to
 * interval plus timeout; a wait shorter than that gives up before Docker has decided, which is
 * how other tools roll back healthy deploys or keep broken ones.
 *
 * @param reason the sentence the report shows: how the wait was derived
 */
public record HealthWait(boolean hasHealthcheck, Duration limit, String reason) {
  // Docker's defaults when a HEALTHCHECK leaves them out.
  private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final int DEFAULT_RETRIES = 3;
  /** With no HEALTHCHECK, a container must stay up this long to count as started. */
  public static final Duration MIN_UPTIME = Duration.ofSeconds(3);

  /**
   * @param healthcheck the container's {@code Config.Healthcheck} from docker inspect (may be null)
   * @param requested the user's {@code health.timeout}, or null
   */
  public static HealthWait of(JsonNode healthcheck, Duration requested) {
    boolean has = healthcheck != null && !healthcheck.isNull() && healthcheck.has("Test")
        && healthcheck.get("Test").size() > 0 && !"NONE".equals(healthcheck.get("Test").get(0).asText());
    if (!has) {
      Duration limit = requested != null ? requested : Duration.ofSeconds(30);
      return new HealthWait(false, max(limit, MIN_UPTIME.plusSeconds(2)),
          "no HEALTHCHECK: waited for the container to stay up " + MIN_UPTIME.toSeconds() + "s"
              + " and for the http probe, up to " + seconds(limit));
    }
    Duration start = nanos(healthcheck, "StartPeriod", Duration.ZERO);
    Duration interval = nanos(healthcheck, "Interval", DEFAULT_INTERVAL);
    Duration timeout = nanos(healthcheck, "Timeout", DEFAULT_TIMEOUT);
    int retries = healthcheck.has("Retries") && healthcheck.get("Retries").asInt() > 0
        ? healthcheck.get("Retries").asInt() : DEFAULT_RETRIES;
    Duration decide = start.plus(interval.plus(timeout).multipliedBy(retries));
    // A margin for a loaded host: a quarter more, at least five seconds.
    Duration margin = max(decide.dividedBy(4), Duration.ofSeconds(5));
    Duration needed = decide.plus(margin);
    String formula = "start period " + seconds(start) + " + " + retries + " x (interval " + seconds(interval)
        + " + timeout " + seconds(timeout) + ") + margin " + seconds(margin);
    if (requested == null) {
      return new HealthWait(true, needed, "waited up to " + seconds(needed) + " from the image's HEALTHCHECK: " + formula);
    }
    if (requested.compareTo(needed) < 0) {
      return new HealthWait(true, needed, "health.timeout " + seconds(requested) + " is shorter than Docker needs to decide;"
          + " waited up to " + seconds(needed) + " (" + formula + ")");
    }
    return new HealthWait(true, requested, "waited up to health.timeout " + seconds(requested));
  }

  private static Duration nanos(JsonNode node, String field, Duration fallback) {
    long value = node.has(field) ? node.get(field).asLong() : 0;
    return value > 0 ? Duration.ofNanos(value) : fallback;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  public static String seconds(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }
}
