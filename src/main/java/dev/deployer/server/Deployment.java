package dev.deployer.server;

import java.util.Map;

/**
 * One deployment the server queued: where it came from, what it deploys, and how it went.
 *
 * @param state await (queued), active, ok, failed, or changed (superseded by a newer one)
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
    String createdAt,
    String startedAt,
    String finishedAt,
    Long durationMs,
    Map<String, Map<String, Integer>> hosts) {}
