package dev.deployer.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One deployment the server queued: where it came from, what it deploys, and how it went.
 *
 * @param state await (queued), active (its run has begun), ok, failed, or changed (superseded by a newer one)
 * @param notBefore when a project's delay lets it begin (an ISO instant), or null
 * @param hosts per host, the recap counts (ok, changed, failed, skipped, unreachable)
 */
public record Deployment(
    String id,
    String project,
    String state,
    String reason,
    Integer exitCode,
    String source,
    String image,
    String tag,
    String requestedBy,
    String callbackUrl,
    String imageFile,
    String packageFile,
    String notBefore,
    String createdAt,
    String startedAt,
    String finishedAt,
    Long durationMs,
    Map<String, Map<String, Integer>> hosts) {

  /** A deployment as it is queued, before anything has happened to it. */
  static Deployment queued(String id, String project, String source, String image, String tag, String requestedBy,
      String callbackUrl, String imageFile, String packageFile) {
    return new Deployment(id, project, "await", null, null, source, image, tag, requestedBy, callbackUrl, imageFile,
        packageFile, null, null, null, null, null, Map.of());
  }

  /** False for an upload of a package alone, whose image field only names the deployment. */
  boolean hasImage() {
    return !"upload".equals(source) || imageFile != null;
  }

  /** The same deployment, to begin no sooner than {@code when} (a project's delay). */
  Deployment notBefore(java.time.Instant when) {
    return new Deployment(id, project, state, reason, exitCode, source, image, tag, requestedBy, callbackUrl,
        imageFile, packageFile, when.toString(), createdAt, startedAt, finishedAt, durationMs, hosts);
  }

  Deployment withHosts(Map<String, Map<String, Integer>> results) {
    return new Deployment(id, project, state, reason, exitCode, source, image, tag, requestedBy, callbackUrl,
        imageFile, packageFile, notBefore, createdAt, startedAt, finishedAt, durationMs, results);
  }

  /** As the API shows it: snake_case fields, and the hosts that failed or were unreachable. */
  Map<String, Object> view() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("deployment", id);
    out.put("project", project);
    out.put("state", state);
    out.put("reason", reason);
    out.put("exit_code", exitCode);
    out.put("source", source);
    out.put("image", image);
    out.put("tag", tag);
    out.put("requested_by", requestedBy);
    out.put("created_at", createdAt);
    if (notBefore != null) {
      out.put("not_before", notBefore);
    }
    out.put("started_at", startedAt);
    out.put("finished_at", finishedAt);
    out.put("duration_ms", durationMs);
    out.put("hosts", hosts);
    out.put("failed_hosts", hosts.entrySet().stream()
        .filter(h -> h.getValue().getOrDefault("failed", 0) > 0 || h.getValue().getOrDefault("unreachable", 0) > 0)
        .map(Map.Entry::getKey).toList());
    return out;
  }
}
