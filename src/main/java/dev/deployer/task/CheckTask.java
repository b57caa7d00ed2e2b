package dev.deployer.task;

import dev.deployer.docker.DockerNames;
import dev.deployer.docker.HttpProbe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The seed's {@code daemon} and {@code job} checks: HTTP answers (from the host, from inside a
 * container, or from a throwaway container on a Docker network, the seed's e2e container) and the
 * end of a one-shot container. It never changes anything; it fails with what it got, after its
 * retries.
 */
public final class CheckTask implements Task {
  public static final TaskType TYPE = TaskType.named("check",
          "check that daemons answer over HTTP and jobs ended well; changes nothing")
      .arg(Arg.of("http", ArgKind.MAPPINGS, "{url, status, match, ca_cert} (or a list): the answers wanted")
          .inside((http, complain) -> HealthSettings.check(Map.of("http", http), complain)))
      .arg(Arg.string("from", "a running container to send the requests from (default: the host)")
          .matching(DockerNames.CONTAINER, DockerNames.CONTAINER_HELP))
      .arg(Arg.string("from_network", "send the requests from a throwaway container on this Docker network"))
      .arg(Arg.string("helper_image", "from_network: the image of that container (needs sh and curl or wget)")
          .matching(DockerNames.IMAGE, DockerNames.IMAGE_HELP))
      .arg(Arg.of("job", ArgKind.MAPPING, "{container, exit_code, log_match, timeout}: a one-shot container's end")
          .inside((job, complain) -> JobCheck.parse(stringKeys(job), complain)))
      .arg(Arg.of("retries", ArgKind.INTEGER, "how many more times to try when a check fails (default 0)").atLeast(0))
      .arg(Arg.of("delay", ArgKind.INTEGER, "seconds between tries (default 2)").atLeast(0))
      .create(CheckTask::new);

  private final List<HttpProbe> probes;
  private final String from;
  private final String fromNetwork;
  private final String helperImage;
  private final JobCheck job;
  private final int retries;
  private final int delaySeconds;

  CheckTask(Args args) {
    Map<String, Object> http = new LinkedHashMap<>();
    if (args.has("http")) {
      http.put("http", args.raw("http"));
    }
    this.probes = HealthSettings.parse(http, problem -> args.error("http", problem)).probes();
    this.job = args.has("job") ? JobCheck.parse(args.map("job"), problem -> args.error("job", problem)) : null;
    this.from = args.string("from", null);
    this.fromNetwork = args.string("from_network", null);
    this.helperImage = args.string("helper_image", null);
    this.retries = args.integer("retries", 0);
    this.delaySeconds = args.integer("delay", 2);
    if (probes.isEmpty() && job == null) {
      throw args.error("http", "or job is required: what to check");
    }
    if (from != null && fromNetwork != null) {
      throw args.error("from", "and from_network are two places to send from: give one");
    }
    if (fromNetwork != null && helperImage == null) {
      throw args.error("helper_image", "is required with from_network: the image of the container the requests leave from");
    }
    if ((from != null || fromNetwork != null) && probes.isEmpty()) {
      throw args.error(from != null ? "from" : "from_network", "says where http requests leave from, but there is no http");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> stringKeys(Object value) {
    return (Map<String, Object>) value;
  }

  @Override
  public TaskResult run(TaskContext ctx) {
    if (ctx.check()) {
      return TaskResult.skipped("not checked under --check: " + String.join("; ", planned()));
    }
    List<String> failures = List.of();
    try {
      for (int attempt = 0; attempt <= retries; attempt++) {
        if (attempt > 0) {
          Thread.sleep(delaySeconds * 1000L);
        }
        failures = failures(ctx);
        if (failures.isEmpty()) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return TaskResult.failed("interrupted while checking");
    }
    String tries = retries == 0 ? "" : " (after " + (retries + 1) + " tries)";
    return failures.isEmpty()
        ? TaskResult.ok(String.join("\n", planned()))
        : TaskResult.failed(String.join("\n", failures) + tries).withData("failures", failures);
  }

  private List<String> failures(TaskContext ctx) throws InterruptedException {
    List<String> failures = new ArrayList<>();
    for (HttpProbe probe : probes) {
      Optional<String> failure = from != null ? probe.failureFrom(ctx.remote(), from)
          : fromNetwork != null ? probe.failureFromNetwork(ctx.remote(), fromNetwork, helperImage)
          : probe.failure(ctx.remote());
      failure.ifPresent(failures::add);
    }
    if (job != null) {
      job.failure(ctx.docker()).ifPresent(failures::add);
    }
    return failures;
  }

  /** What is checked, one line each, as a person reads it. */
  private List<String> planned() {
    String where = from != null ? " from " + from : fromNetwork != null ? " from network " + fromNetwork : "";
    List<String> lines = new ArrayList<>();
    for (HttpProbe probe : probes) {
      lines.add("GET " + probe.url() + where + " answers " + probe.status()
          + (probe.match() == null ? "" : " matching /" + probe.match().pattern() + "/"));
    }
    if (job != null) {
      lines.add(job.describe());
    }
    return lines;
  }
}
