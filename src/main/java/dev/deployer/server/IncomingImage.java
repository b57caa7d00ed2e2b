package dev.deployer.server;

import dev.deployer.docker.DockerNames;
import dev.deployer.template.Unsafe;

/**
 * An image named from outside (a hook's repository and tag, an upload's RepoTags), checked
 * against Docker's grammar before anything else sees it, so nothing that looks like a template
 * or a shell word gets in. Checked, it still reaches the playbook as {@link Unsafe} values.
 */
record IncomingImage(String repository, String tag) {
  private static final int MAX = 255;

  static IncomingImage of(String repository, String tag) throws Refusal {
    if (repository == null || repository.isEmpty() || repository.length() > MAX
        || !DockerNames.REPOSITORY.matcher(repository).matches()) {
      throw new Refusal(422, "the repository is not " + DockerNames.REPOSITORY_HELP + ": " + shown(repository));
    }
    if (tag == null || !DockerNames.TAG_NAME.matcher(tag).matches()) {
      throw new Refusal(422, "the tag is not " + DockerNames.TAG_HELP + ": " + shown(tag));
    }
    return new IncomingImage(repository, tag);
  }

  /** A {@code repository:tag} reference, as docker save writes it in RepoTags. */
  static IncomingImage parse(String reference) throws Refusal {
    int slash = reference == null ? -1 : reference.lastIndexOf('/');
    int colon = reference == null ? -1 : reference.lastIndexOf(':');
    if (colon <= slash) {
      throw new Refusal(422, "the image name has no tag: " + shown(reference));
    }
    return of(reference.substring(0, colon), reference.substring(colon + 1));
  }

  String reference() {
    return repository + ":" + tag;
  }

  /** Checks the image against what the project deploys. */
  void acceptedBy(ServerConfig.Project project) throws Refusal {
    if (!project.acceptsRepository(repository)) {
      throw new Refusal(422, "project " + project.name() + " does not deploy " + repository);
    }
    if (!project.acceptsTag(tag)) {
      throw new Refusal(422, "tag " + tag + " does not match " + project.tags() + " of project " + project.name());
    }
  }

  /** An outside value in an error message: quoted, cut short, control characters shown as '?'. */
  static String shown(String value) {
    if (value == null) {
      return "nothing";
    }
    String cut = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return "'" + cut.replaceAll("[\\p{Cntrl}]", "?") + "'";
  }
}
