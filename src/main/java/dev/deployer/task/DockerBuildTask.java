package dev.deployer.task;

import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.DockerNames;
import dev.deployer.docker.ImageFacts;
import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds an image from a directory on the host, only when something it is built from changed.
 * The image carries a label with a hash of the context's files, the Dockerfile name, the build
 * args and the labels; a matching label means the build would produce the same image.
 */
public final class DockerBuildTask implements Task {
  public static final TaskType TYPE = TaskType.named("docker_build", "build an image on the host, only when its context changed")
      .arg(Arg.string("context", "the build context on the host (sync it first with sync_dir)").required().absolutePath())
      .arg(Arg.string("image", "the image to build, with its tag").required()
          .matching(DockerNames.IMAGE, DockerNames.IMAGE_HELP))
      .arg(Arg.string("dockerfile", "the Dockerfile, relative to the context or absolute (default: Dockerfile)"))
      .arg(Arg.of("build_args", ArgKind.STRING_MAP, "--build-arg values"))
      .arg(Arg.of("labels", ArgKind.STRING_MAP, "labels for the image"))
      .arg(Arg.of("buildkit", ArgKind.BOOLEAN,
          "build with BuildKit (default: true; a host without it builds with the legacy builder)"))
      .create(DockerBuildTask::new);

  /** Every file of the context ($1) with its SHA-256, in a stable order. */
  private static final String LIST_CONTEXT = "cd \"$1\" && find . -type f -exec sha256sum {} + | LC_ALL=C sort";

  private final String context;
  private final String image;
  private final String dockerfile;
  private final Map<String, String> buildArgs;
  private final Map<String, String> labels;
  private final boolean buildKit;

  DockerBuildTask(Args args) {
    this(args.string("context"), args.string("image"), args.string("dockerfile", "Dockerfile"), args.stringMap("build_args"),
        args.stringMap("labels"), args.bool("buildkit", true));
  }

  /** The build a container task makes when its image is missing. */
  DockerBuildTask(String context, String image, String dockerfile, Map<String, String> buildArgs) {
    this(context, image, dockerfile, buildArgs, Map.of(), true);
  }

  private DockerBuildTask(String context, String image, String dockerfile, Map<String, String> buildArgs,
      Map<String, String> labels, boolean buildKit) {
    this.buildKit = buildKit;
    this.context = context.replaceAll("/+$", "");
    this.image = image;
    this.dockerfile = dockerfile;
    this.buildArgs = new TreeMap<>(buildArgs);
    this.labels = new TreeMap<>(labels);
  }

  @Override
  public TaskResult run(TaskContext ctx) {
    CommandResult listing = ctx.remote().run(Command.script(LIST_CONTEXT, context));
    if (!listing.ok()) {
      return TaskResult.failed("cannot read build context " + context + " (sync it first with sync_dir): " + listing.errorSummary());
    }
    String wanted = buildHash(listing.stdout());
    CommandResult current = ctx.docker().attempt(DockerCommands.imageLabel(image, DockerCommands.BUILD_HASH_LABEL));
    String have = current.ok() ? current.stdout().trim() : null;
    if (wanted.equals(have)) {
      return TaskResult.ok(image + " is up to date (build " + wanted.substring(0, 12) + ")")
          .withData("image", image)
          .withData("build_hash", wanted);
    }
    String reason = have == null ? "image not present" : "context or build args changed";
    TaskResult plan = TaskResult.changed(reason)
        .withDiff("build_hash", have == null ? "absent" : shortHash(have), shortHash(wanted));
    if (ctx.check()) {
      return plan.withMessage("would build " + image + ": " + reason);
    }
    Map<String, String> allLabels = new LinkedHashMap<>(labels);
    allLabels.put(DockerCommands.BUILD_HASH_LABEL, wanted);
    String file = dockerfile.startsWith("/") ? dockerfile : context + "/" + dockerfile;
    MachineGate.Turn<CommandResult> turn = MachineGate.inTurn(MachineGate.of(ctx), () -> {
      CommandResult result = buildKit
          ? ctx.docker().attempt(DockerCommands.buildWithBuildKit(image, context, file, buildArgs, allLabels)) : null;
      return result == null || DockerCommands.buildKitMissing(result.stderr())
          ? ctx.docker().attempt(DockerCommands.build(image, context, file, buildArgs, allLabels)) : result;
    });
    CommandResult build = turn.value();
    if (!build.ok()) {
      return TaskResult.failed("docker build of " + image + " failed: " + build.errorSummary())
          .withData("stdout", build.stdout())
          .withData("stderr", build.stderr());
    }
    String queued = turn.waitedMillis() >= 1000
        ? ", after " + turn.waitedMillis() / 100 / 10.0 + "s waiting for this machine's other builds" : "";
    TaskResult built = plan.withMessage("built " + image + " in " + build.millis() / 100 / 10.0 + "s (" + reason + queued + ")")
        .withData("image", image)
        .withData("build_hash", wanted);
    Optional<ImageFacts> facts = ctx.docker().imageFacts(image);
    if (facts.isEmpty()) {
      return built.withData("image_id", "");
    }
    // The labels deployer put on it: the user's and the build hash, not those inherited from the base.
    Map<String, String> own = new TreeMap<>(facts.get().labels());
    own.keySet().retainAll(allLabels.keySet());
    List<String> shown = own.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    return built.withMessage(built.message() + "\n" + facts.get().describe() + "\nlabels " + String.join(", ", shown))
        .withData("image_id", facts.get().id())
        .withData("size_bytes", facts.get().sizeBytes())
        .withData("created", facts.get().created())
        .withData("labels", own);
  }

  private static String shortHash(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) : hash;
  }

  /** What the image is built from: file list with hashes, Dockerfile name, build args, labels. */
  String buildHash(String sortedFileHashes) {
    StringBuilder input = new StringBuilder(sortedFileHashes);
    input.append("\0dockerfile=").append(dockerfile);
    buildArgs.forEach((k, v) -> input.append("\0arg:").append(k).append('=').append(v));
    labels.forEach((k, v) -> input.append("\0label:").append(k).append('=').append(v));
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(input.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
