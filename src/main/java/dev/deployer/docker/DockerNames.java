package dev.deployer.docker;

import java.util.regex.Pattern;

/**
 * Docker's grammar for the names deployer passes to it, so a bad one is caught when the playbook
 * loads rather than by docker on every host.
 */
public final class DockerNames {
  /** A container name as Docker accepts it; also a lock's directory name, so nothing else gets in. */
  public static final Pattern CONTAINER = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
  public static final String CONTAINER_HELP = "a valid container name (letters, digits, _ . -)";

  private static final String DOMAIN_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String DOMAIN = DOMAIN_PART + "(?:\\." + DOMAIN_PART + ")*(?::[0-9]+)?";
  private static final String PATH_PART = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH_PART + "(?:/" + PATH_PART + ")*";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
  private static final String IMAGE_ID = "(?:sha256:)?[0-9a-f]{12,64}";

  /**
   * An image reference (the distribution grammar: {@code [registry[:port]/]path[:tag][@digest]},
   * lowercase path) or an image ID.
   */
  public static final Pattern IMAGE = Pattern.compile("(?:" + NAME + "(?::" + TAG + ")?(?:@" + DIGEST + ")?|" + IMAGE_ID + ")");
  public static final String IMAGE_HELP = "an image reference (registry/name:tag, lowercase name) or image ID";

  /** A repository without a tag, as docker image ls takes it. */
  public static final Pattern REPOSITORY = Pattern.compile(NAME);
  public static final String REPOSITORY_HELP = "a repository name (registry/name, lowercase, no tag)";

  /** A tag as Docker accepts it. */
  public static final Pattern TAG_NAME = Pattern.compile(TAG);
  public static final String TAG_HELP = "a tag (letters, digits, _ . -, up to 128, not starting with . or -)";

  /** A restart policy docker run accepts. */
  public static final Pattern RESTART_POLICY = Pattern.compile("no|always|unless-stopped|on-failure(?::[0-9]+)?");
  public static final String RESTART_POLICY_HELP = "a restart policy (no, always, unless-stopped, on-failure[:N])";

  private DockerNames() {}
}
