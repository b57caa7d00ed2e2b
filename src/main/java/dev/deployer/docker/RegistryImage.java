package dev.deployer.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.server.http.ClientAddress;
import dev.deployer.ssh.CommandResult;
import java.util.Optional;

/**
 * What a registry holds for an image reference, read on the host with the docker CLI: the digest
 * of the image's configuration, which is the image ID the daemon gives it. Equal IDs here and
 * there mean a push would send nothing.
 */
public final class RegistryImage {
  private RegistryImage() {}

  /** The registry part of a reference ("docker.io" when it names none), as Docker reads it. */
  public static String registryOf(String image) {
    int slash = image.indexOf('/');
    if (slash < 0) {
      return "docker.io";
    }
    String first = image.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : "docker.io";
  }

  /**
   * The image ID the registry has under {@code image}, or empty when it has none.
   *
   * @throws DockerException when the registry cannot be read (unreachable, needs a login)
   */
  public static Optional<String> idIn(Docker docker, String image) {
    CommandResult result = docker.attempt(DockerCommands.manifest(image, plainHttp(docker, registryOf(image))));
    if (!result.ok()) {
      String said = result.stderr() + result.stdout();
      if (said.contains("no such manifest") || said.contains("manifest unknown")) {
        return Optional.empty();
      }
      throw new DockerException("cannot read " + image + " from its registry: " + result.errorSummary());
    }
    JsonNode manifest = Docker.parse(result.stdout());
    JsonNode config = manifest.path("config").path("digest");
    if (config.isMissingNode()) {
      // A list of platforms: the image here is one of them, so it is never equal as a whole.
      return Optional.of(manifest.path("mediaType").asText("a manifest list"));
    }
    return Optional.of(config.asText());
  }

  /** True when the daemon speaks plain HTTP to the registry (an insecure registry it was told of). */
  private static boolean plainHttp(Docker docker, String registry) {
    CommandResult info = docker.attempt(DockerCommands.registryConfig());
    if (!info.ok()) {
      return false;
    }
    JsonNode config = Docker.parse(info.stdout());
    JsonNode index = config.path("IndexConfigs").path(registry);
    if (!index.isMissingNode()) {
      return !index.path("Secure").asBoolean(true);
    }
    String host = registry.replaceFirst(":\\d+$", "");
    for (JsonNode cidr : config.path("InsecureRegistryCIDRs")) {
      try {
        if (ClientAddress.Block.parse(cidr.asText()).contains(host)) {
          return true;
        }
      } catch (IllegalArgumentException e) {
        // Not a block we can read: it cannot make this registry insecure.
      }
    }
    return false;
  }
}
