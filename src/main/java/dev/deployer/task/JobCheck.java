package dev.deployer.task;

import dev.deployer.docker.ContainerState;
import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.ssh.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The seed's {@code job} check: a one-shot container must end with the wanted exit code, and its
 * log must match each of the given patterns.
 *
 * @param timeout how long a job still running is waited for
 */
record JobCheck(String container, int exitCode, List<Pattern> logMatch, Duration timeout) {
  private static final Set<String> KEYS = Set.of("container", "exit_code", "log_match", "timeout");
  private static final int LOG_LINES = 2000;

  static JobCheck parse(Map<String, Object> raw, Function<String, RuntimeException> complain) {
    for (String key : raw.keySet()) {
      if (!KEYS.contains(key)) {
        throw complain.apply("has an unknown key '" + key + "'" + dev.deployer.yaml.Suggestions.didYouMean(key, KEYS));
      }
    }
    if (raw.get("container") == null) {
      throw complain.apply("needs a container (the one-shot container whose end is checked)");
    }
    int exitCode = number(raw.get("exit_code"), 0, "exit_code", complain);
    int seconds = number(raw.get("timeout"), 60, "timeout", complain);
    Object given = raw.get("log_match");
    List<?> texts = given == null ? List.of() : given instanceof List<?> list ? list : List.of(given);
    List<Pattern> patterns = new ArrayList<>();
    for (Object text : texts) {
      try {
        patterns.add(Pattern.compile(String.valueOf(text), Pattern.MULTILINE));
      } catch (PatternSyntaxException e) {
        throw complain.apply("log_match '" + text + "' is not a valid regex: " + e.getDescription());
      }
    }
    return new JobCheck(raw.get("container").toString(), exitCode, List.copyOf(patterns), Duration.ofSeconds(seconds));
  }

  private static int number(Object value, int fallback, String key, Function<String, RuntimeException> complain) {
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.toString().trim());
    } catch (NumberFormatException e) {
      throw complain.apply(key + " '" + value + "' is not a number");
    }
  }

  /** Empty when the job ended as wanted; otherwise what it did instead, with its last log lines. */
  Optional<String> failure(Docker docker) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ContainerState state;
    while (true) {
      Optional<ContainerState> found = docker.states(List.of(container)).stream().findFirst();
      if (found.isEmpty()) {
        return Optional.of("job " + container + ": no such container");
      }
      state = found.get();
      if (state.exited()) {
        break;
      }
      if (state.status().equals("created")) {
        return Optional.of("job " + container + " was created but never started");
      }
      if (System.nanoTime() > deadline) {
        return Optional.of("job " + container + " is still " + state.describe() + " after " + timeout.toSeconds() + "s");
      }
      Thread.sleep(500);
    }
    CommandResult logs = docker.attempt(DockerCommands.logs(container, LOG_LINES, false));
    String log = logs.stdout() + logs.stderr();
    if (state.exitCode() != exitCode) {
      return Optional.of("job " + container + " exited " + state.exitCode() + ", expected " + exitCode + tail(log));
    }
    for (Pattern pattern : logMatch) {
      if (!pattern.matcher(log).find()) {
        return Optional.of("job " + container + " exited " + state.exitCode() + " but its log does not match /"
            + pattern.pattern() + "/" + tail(log));
      }
    }
    return Optional.empty();
  }

  String describe() {
    return "job " + container + " exited " + exitCode
        + (logMatch.isEmpty() ? "" : ", log matched " + logMatch.stream().map(p -> "/" + p.pattern() + "/").toList());
  }

  private static String tail(String log) {
    List<String> lines = log.strip().lines().toList();
    if (lines.isEmpty()) {
      return " (its log is empty)";
    }
    return "; its last lines:\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
  }
}
