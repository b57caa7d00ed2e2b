package dev.deployer.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.Remote;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The docker CLI on one host: runs {@link DockerCommands} and reads their answers, with every exit
 * status checked.
 */
public final class Docker {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NO_SUCH_OBJECT = Pattern.compile("(?:Error: )?No such object: (.+)");

  private final Remote remote;

  public Docker(Remote remote) {
    this.remote = remote;
  }

  /** Runs a command and returns its result, whatever the exit status. */
  public CommandResult attempt(Command command) {
    return remote.run(command);
  }

  /** Runs a command that must succeed; its stdout, trimmed. {@code what} names it in the error. */
  public String run(String what, Command command) {
    CommandResult result = attempt(command);
    if (!result.ok()) {
      throw new DockerException(what + " failed: " + result.errorSummary());
    }
    return result.stdout().trim();
  }

  /** The container's full {@code docker inspect} document, or empty when there is none. */
  public Optional<JsonNode> inspectContainer(String name) {
    CommandResult result = attempt(DockerCommands.inspectContainer(name));
    if (!result.ok()) {
      if (result.stderr().contains("No such")) {
        return Optional.empty();
      }
      throw new DockerException("docker inspect " + name + " failed: " + result.errorSummary());
    }
    return Optional.of(parse(result.stdout()).get(0));
  }

  /** What a build made: the image's ID, size, creation time and labels; empty when the host has no such image. */
  public Optional<ImageFacts> imageFacts(String image) {
    CommandResult result = attempt(DockerCommands.inspectImage(image));
    return result.ok() ? Optional.of(ImageFacts.of(parse(result.stdout()))) : Optional.empty();
  }

  /** The image's ID, or empty when the host does not have it. */
  public Optional<String> imageId(String image) {
    CommandResult result = attempt(DockerCommands.imageId(image));
    return result.ok() ? Optional.of(result.stdout().trim()) : Optional.empty();
  }

  /** The states of the named containers that exist, in the order asked. */
  public List<ContainerState> states(List<String> containers) {
    if (containers.isEmpty()) {
      return List.of();
    }
    // One that went away since it was listed is left out, as docker leaves it out.
    CommandResult result = attempt(DockerCommands.containerStates(containers));
    if (!result.ok() && !result.stderr().contains("No such")) {
      throw new DockerException("docker inspect failed: " + result.errorSummary());
    }
    return result.stdout().lines().filter(line -> !line.isBlank()).map(ContainerState::parse).toList();
  }

  public ContainerState state(String container) {
    return states(List.of(container)).stream().findFirst()
        .orElseThrow(() -> new DockerException("container " + container + " vanished"));
  }

  /** Names of containers (running or not) that match the filters. */
  public List<String> containerNames(String... filters) {
    return run("docker ps", DockerCommands.containerNames(filters)).lines().filter(line -> !line.isBlank()).toList();
  }

  /** The last lines of a container's log (stdout and stderr), for failure reports. */
  public String logTail(String container, int lines) {
    CommandResult result = attempt(DockerCommands.logs(container, lines, false));
    String text = (result.stdout() + result.stderr()).strip();
    return text.isEmpty() ? "(no log output)" : text;
  }

  /** What a deploy reads first: the ID the image reference points at, and the container's document. */
  public record ImageAndContainer(Optional<String> imageId, Optional<JsonNode> container) {}

  /**
   * Both with one {@code docker inspect} (one docker process where there were two: under load each
   * costs a few hundred milliseconds). Objects come back in the order asked, missing ones left out
   * and named on stderr, so which is which is known. A reference that could name a container, or
   * an answer that is not plainly that, falls back to two calls.
   */
  public ImageAndContainer imageAndContainer(String image, String container) {
    if (image.matches(".*[:/@].*")) {
      CommandResult result = attempt(DockerCommands.inspectEach(image, container));
      List<String> missing = new ArrayList<>();
      boolean plain = true;
      for (String line : result.stderr().lines().filter(l -> !l.isBlank()).toList()) {
        Matcher noSuch = NO_SUCH_OBJECT.matcher(line.trim());
        if (noSuch.matches()) {
          missing.add(noSuch.group(1));
        } else {
          plain = false;
        }
      }
      List<String> found = new ArrayList<>(List.of(image, container));
      found.removeAll(missing);
      List<String> objects = result.stdout().lines().filter(l -> !l.isBlank()).toList();
      if (plain && objects.size() == found.size() && (result.ok() || !missing.isEmpty())) {
        Optional<String> imageId = Optional.empty();
        Optional<JsonNode> live = Optional.empty();
        for (int i = 0; i < objects.size(); i++) {
          JsonNode object = parse(objects.get(i));
          if (found.get(i).equals(image)) {
            if (object.has("State") || !object.has("RepoTags")) {
              return new ImageAndContainer(imageId(image), inspectContainer(container));
            }
            imageId = Optional.of(object.path("Id").asText());
          } else if (object.has("State")) {
            // A name that is no container may still name an image or a network: not ours.
            live = Optional.of(object);
          }
        }
        return new ImageAndContainer(imageId, live);
      }
    }
    return new ImageAndContainer(imageId(image), inspectContainer(container));
  }

  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new DockerException("cannot read docker's JSON: " + e.getOriginalMessage());
    }
  }
}
