package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.docker.DockerException;
import dev.deployer.docker.HttpProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code health:} of a task: an optional timeout (seconds, or "90s", "2m") and HTTP probes
 * checked from the host ({@code url}, {@code status}, {@code match}, {@code ca_cert}).
 */
record HealthSettings(Duration timeout, List<HttpProbe> probes, Map<String, Object> raw) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> KEYS = Set.of("timeout", "http");
  private static final Set<String> PROBE_KEYS = Set.of("url", "status", "match", "ca_cert");

  static HealthSettings none() {
    return new HealthSettings(null, List.of(), Map.of());
  }

  /** @param complain turns a problem into an error naming the task's argument */
  static HealthSettings parse(Map<String, Object> raw, java.util.function.Function<String, RuntimeException> complain) {
    for (String key : raw.keySet()) {
      if (!KEYS.contains(key)) {
        throw complain.apply("has an unknown key '" + key + "'" + dev.deployer.yaml.Suggestions.didYouMean(key, KEYS));
      }
    }
    Duration timeout = raw.get("timeout") == null ? null : duration(raw.get("timeout").toString(), complain);
    List<HttpProbe> probes = new ArrayList<>();
    Object http = raw.get("http");
    List<?> list = http == null ? List.of() : http instanceof List<?> l ? l : List.of(http);
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> probe)) {
        throw complain.apply("http must be a mapping with url, status and match (or a list of them)");
      }
      for (Object key : probe.keySet()) {
        if (!PROBE_KEYS.contains(key.toString())) {
          throw complain.apply("http has an unknown key '" + key + "'" + dev.deployer.yaml.Suggestions.didYouMean(key.toString(), PROBE_KEYS));
        }
      }
      if (probe.get("url") == null) {
        throw complain.apply("http needs a url");
      }
      int status;
      try {
        status = probe.get("status") == null ? 200 : Integer.parseInt(probe.get("status").toString().trim());
      } catch (NumberFormatException e) {
        throw complain.apply("http status '" + probe.get("status") + "' is not a number");
      }
      Pattern match;
      try {
        match = probe.get("match") == null ? null : Pattern.compile(probe.get("match").toString());
      } catch (PatternSyntaxException e) {
        throw complain.apply("http match is not a valid regex: " + e.getDescription());
      }
      Object caCert = probe.get("ca_cert");
      probes.add(new HttpProbe(probe.get("url").toString(), status, match, caCert == null ? null : caCert.toString()));
    }
    return new HealthSettings(timeout, probes, raw);
  }

  /** Checks a health: mapping as written, for the argument declarations. */
  static void check(Object raw, java.util.function.Function<String, RuntimeException> complain) {
    @SuppressWarnings("unchecked")
    Map<String, Object> settings = (Map<String, Object>) raw;
    parse(settings, complain);
  }

  @SuppressWarnings("unchecked")
  static HealthSettings fromJson(JsonNode node) {
    Map<String, Object> raw = node == null || node.isNull() ? Map.of() : JSON.convertValue(node, Map.class);
    return parse(raw, problem -> new DockerException("the recorded health settings cannot be read: " + problem));
  }

  JsonNode toJson() {
    return JSON.valueToTree(raw);
  }

  private static Duration duration(String text, java.util.function.Function<String, RuntimeException> complain) {
    String t = text.trim().toLowerCase();
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(t.endsWith("s") ? t.substring(0, t.length() - 1) : t));
    } catch (NumberFormatException e) {
      throw complain.apply("timeout '" + text + "' is not a duration (write 30, 30s or 2m)");
    }
  }
}
