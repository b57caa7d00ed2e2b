package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.Release;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Runs a service at another image (a new tag of the same repository, or any image) with the whole
 * configuration recorded on its live container, through the same health-gated swap as a deploy:
 * a one-off "deploy hello 1.4.3" needs no playbook and loses no port, env or mount.
 */
public final class RedeployContainerTask implements Task {
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

  public static final TaskType TYPE = TaskType.named("redeploy_container",
          "run a service at a new tag (or image) with its live container's recorded configuration")
      .arg(SwapContainerTask.serviceName())
      .arg(Arg.string("tag", "the new tag, of the same repository").matching(TAG, "an image tag"))
      .arg(SwapContainerTask.image("another image to run instead (give tag or image)"))
      .arg(SwapContainerTask.keep())
      .create(RedeployContainerTask::new);

  private final String name;
  private final String tag;
  private final String image;
  private final int keep;

  RedeployContainerTask(Args args) {
    this.name = args.string("name");
    this.tag = args.string("tag", null);
    this.image = args.string("image", null);
    this.keep = args.integer("keep", 3);
    if ((tag == null) == (image == null)) {
      throw args.error(tag == null ? "tag" : "image", "give either tag (same repository) or image, not both or neither");
    }
  }

  @Override
  public TaskResult run(TaskContext context) {
    Optional<JsonNode> live = context.docker().inspectContainer(name);
    Release current = live.map(Release::current).orElse(null);
    if (current == null) {
      return TaskResult.failed("no container " + name + " deployed by deployer on this host to take the configuration from");
    }
    String target = image != null ? image : repository(current.image()) + ":" + tag;
    return new ContainerSwap(context).deploy(target, null, current.config(), HealthSettings.fromJson(current.health()), keep);
  }

  /** "registry:5000/team/app:1.2" is "registry:5000/team/app": a colon after the last slash starts the tag. */
  public static String repository(String image) {
    String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = withoutDigest.lastIndexOf(':');
    return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
  }
}
