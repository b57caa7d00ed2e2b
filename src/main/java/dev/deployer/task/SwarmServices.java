package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.Docker;
import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What rollback, history and swarm_service read and do on a Swarm service: its spec and the one
 * before it (Swarm keeps one), Swarm's own rollback, and the tasks meant to run.
 */
final class SwarmServices {
  private SwarmServices() {}

  /** The service's {@code docker service inspect} document; empty on a host that is no manager or has no such service. */
  static Optional<JsonNode> inspect(Docker docker, String name) {
    CommandResult result = read(docker, name);
    return result.ok() ? Optional.of(Docker.parse(result.stdout())) : Optional.empty();
  }

  /** {@code docker service inspect} as it answered, for a caller that tells "no such service" from other errors. */
  static CommandResult read(Docker docker, String name) {
    return docker.attempt(Command.of("docker", "service", "inspect", "--format", "{{json .}}", name));
  }

  /** The image a spec runs, without the digest Swarm pins it to. */
  static String image(JsonNode spec) {
    return spec.path("TaskTemplate").path("ContainerSpec").path("Image").asText().replaceFirst("@sha256:.*$", "");
  }

  /** Swarm's rollback to the spec before, waited for as the docker CLI waits for it. */
  static TaskResult rollback(TaskContext ctx, JsonNode service, String to) {
    String name = service.path("Spec").path("Name").asText();
    JsonNode previous = service.path("PreviousSpec");
    if (previous.isMissingNode() || previous.isNull()) {
      return TaskResult.failed("Swarm keeps no earlier spec of service " + name);
    }
    String from = image(service.path("Spec"));
    String back = image(previous);
    if (to != null && !to.equals(back)) {
      return TaskResult.failed("Swarm keeps one earlier spec of " + name + ", on " + back + "; --to " + to
          + " is not it (deploy it with swarm_service instead)");
    }
    if (ctx.check()) {
      return TaskResult.changed("would roll " + name + " back to Swarm's previous spec").withDiff("image", from, back);
    }
    CommandResult result = ctx.docker().attempt(Command.of("timeout", "600", "docker", "service", "rollback", name));
    if (!result.ok()) {
      return TaskResult.failed("Swarm could not roll " + name + " back: " + result.errorSummary() + tasks(ctx.docker(), name));
    }
    return TaskResult.changed("rolled " + name + " back from " + from + " to " + back + " (Swarm's previous spec)"
        + tasks(ctx.docker(), name)).withDiff("image", from, back);
  }

  /** The service's spec now and the one before, newest first. */
  static TaskResult history(JsonNode service) {
    String name = service.path("Spec").path("Name").asText();
    List<Map<String, String>> data = new ArrayList<>();
    StringBuilder text = new StringBuilder(name + ": Swarm service, its spec and the one before, newest first");
    text.append("\n* live ").append(image(service.path("Spec"))).append(" (updated ").append(service.path("UpdatedAt").asText())
        .append(")");
    data.add(Map.of("image", image(service.path("Spec")), "deployed_at", service.path("UpdatedAt").asText()));
    JsonNode previous = service.path("PreviousSpec");
    if (!previous.isMissingNode() && !previous.isNull()) {
      text.append("\n  ").append(image(previous)).append(" (previous spec: deployer rollback goes back to it)");
      data.add(Map.of("image", image(previous), "deployed_at", ""));
    }
    return TaskResult.ok(text.toString()).withData("releases", data);
  }

  /** One line per task meant to run: where, in which state, on which image. */
  static String tasks(Docker docker, String name) {
    StringBuilder out = new StringBuilder();
    String lines = docker.run("docker service ps", Command.of("docker", "service", "ps", name, "--filter", "desired-state=running",
        "--format", "{{.Name}}|{{.Node}}|{{.CurrentState}}|{{.Image}}|{{.Error}}"));
    for (String line : lines.lines().filter(l -> !l.isBlank()).toList()) {
      String[] f = line.split("\\|", -1);
      out.append("\n").append(f[0]).append(" on ").append(f[1]).append(": ").append(f[2]).append(", ")
          .append(f[3].replaceFirst("@sha256:.*$", "")).append(f[4].isEmpty() ? "" : " (" + f[4] + ")");
    }
    return out.toString();
  }
}
