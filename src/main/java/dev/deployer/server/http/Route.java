package dev.deployer.server.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One endpoint: a method and a path pattern ({@code /status/{project}}), the guard that admits a
 * caller (role checks live in guards, so the route table shows who may call what), what body it
 * reads, and the endpoint itself. The guard runs before any of the body is read.
 */
public record Route(String method, List<String> segments, Guard guard, Body body, Endpoint endpoint) {
  /** Says who may go on: null to let the call through, or the answer that ends it. */
  @FunctionalInterface
  public interface Guard {
    Guard ANYONE = call -> null;

    Reply admit(Call call) throws Exception;
  }

  @FunctionalInterface
  public interface Endpoint {
    Reply answer(Call call) throws Exception;
  }

  /** What a route reads of the request body, at most. */
  public sealed interface Body {
    Body NONE = new Nothing();

    record Nothing() implements Body {}

    /** The whole body in memory, up to {@code limit} bytes (413 past it). */
    record Bytes(int limit) implements Body {}

    /** A multipart form, its files streamed to {@code dir}, up to {@code limit} bytes in all. */
    record Form(java.nio.file.Path dir, long limit) implements Body {}
  }

  public static Route of(String method, String pattern, Guard guard, Body body, Endpoint endpoint) {
    List<String> segments = pattern.equals("/") || pattern.isEmpty() ? List.of() : List.of(pattern.substring(1).split("/"));
    return new Route(method, segments, guard, body, endpoint);
  }

  /** The path as the log shows it: a {token} parameter is a secret and is left out. */
  String shown(String root, Map<String, String> params) {
    StringBuilder path = new StringBuilder(root);
    for (String segment : segments) {
      String name = segment.startsWith("{") && segment.endsWith("}") ? segment.substring(1, segment.length() - 1) : null;
      path.append('/').append(name == null ? segment : name.equals("token") ? "{token}" : params.get(name));
    }
    return segments.isEmpty() ? path.append('/').toString() : path.toString();
  }

  /** The path's parameters when it matches this route's pattern, or null. */
  Map<String, String> match(List<String> path) {
    if (path.size() != segments.size()) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < path.size(); i++) {
      String expected = segments.get(i);
      if (expected.startsWith("{") && expected.endsWith("}")) {
        params.put(expected.substring(1, expected.length() - 1), path.get(i));
      } else if (!expected.equals(path.get(i))) {
        return null;
      }
    }
    return params;
  }
}
