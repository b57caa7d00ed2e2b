package dev.deployer.docker;

import dev.deployer.ssh.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every {@code docker} command deployer runs, a method per verb, each an argument list (Kamal's
 * {@code commands/*.rb} is the model). Tests assert on the lists; the SSH layer alone turns them
 * into shell text. Names, images and paths come after {@code --}, so none can be read as an
 * option, whatever the checks before let through.
 */
public final class DockerCommands {
  /** The label in which docker_build records what an image was built from. */
  public static final String BUILD_HASH_LABEL = "deployer.build-hash";
  /** One container per line: name, state, health (empty without a HEALTHCHECK), exit code, restarts. */
  static final String STATE_FORMAT =
      "{{.Name}}|{{.State.Status}}|{{if .State.Health}}{{.State.Health.Status}}{{end}}|{{.State.ExitCode}}|{{.RestartCount}}";

  private DockerCommands() {}

  private static Command.Argv docker(String... words) {
    return prefixed(List.of(words));
  }

  private static Command.Argv prefixed(List<String> words) {
    List<String> argv = new ArrayList<>(words.size() + 1);
    argv.add("docker");
    argv.addAll(words);
    return Command.of(argv);
  }

  public static Command.Argv serverVersion() {
    return docker("version", "--format", "{{.Server.Version}}");
  }

  /** Version, storage driver, cgroup version and root directory, separated by |. */
  public static Command.Argv info() {
    return docker("info", "--format", "{{.ServerVersion}}|{{.Driver}}|{{.CgroupVersion}}|{{.DockerRootDir}}");
  }

  public static Command.Argv inspectContainer(String container) {
    return docker("container", "inspect", "--", container);
  }

  /** {@link #STATE_FORMAT} for each container named. */
  public static Command.Argv containerStates(List<String> containers) {
    List<String> words = new ArrayList<>(List.of("container", "inspect", "--format", STATE_FORMAT, "--"));
    words.addAll(containers);
    return prefixed(words);
  }

  /** Any objects by name, one JSON document per line, in the order asked; missing ones named on stderr. */
  public static Command.Argv inspectEach(String... references) {
    List<String> words = new ArrayList<>(List.of("inspect", "--format", "{{json .}}", "--"));
    words.addAll(List.of(references));
    return prefixed(words);
  }

  /** An image's {@code docker image inspect} document, one line of JSON. */
  public static Command.Argv inspectImage(String image) {
    return docker("image", "inspect", "--format", "{{json .}}", "--", image);
  }

  public static Command.Argv imageId(String image) {
    return docker("image", "inspect", "--format", "{{.Id}}", "--", image);
  }

  /** The image a container was created from, by ID. */
  public static Command.Argv containerImage(String container) {
    return docker("container", "inspect", "--format", "{{.Image}}", "--", container);
  }

  /** Prints the value of one label of an image; fails when the image does not exist. */
  public static Command.Argv imageLabel(String image, String label) {
    return docker("image", "inspect", "--format", "{{ index .Config.Labels \"" + label + "\" }}", "--", image);
  }

  /** Names of containers, running or not, that match every filter ({@code name=^web_}, {@code label=x}). */
  public static Command.Argv containerNames(String... filters) {
    List<String> words = new ArrayList<>(List.of("ps", "-a", "--format", "{{.Names}}"));
    for (String filter : filters) {
      words.add("--filter");
      words.add(filter);
    }
    return prefixed(words);
  }

  /** The service label of every container deployer started, one per line. */
  public static Command.Argv serviceLabels(String label) {
    return docker("ps", "-a", "--filter", "label=" + label, "--format", "{{.Label \"" + label + "\"}}");
  }

  /** Every container, one per line: name, image, status, ports, separated by tabs. */
  public static Command.Argv containerTable() {
    return docker("ps", "-a", "--format", "{{.Names}}\t{{.Image}}\t{{.Status}}\t{{.Ports}}");
  }

  /** The IDs of every container, running or not. */
  public static Command.Argv containerIds() {
    return docker("ps", "-a", "-q");
  }

  /** A repository's images, newest first, one "ID|repository:tag" per line. */
  public static Command.Argv images(String repository) {
    return docker("image", "ls", "--no-trunc", "--format", "{{.ID}}|{{.Repository}}:{{.Tag}}", "--", repository);
  }

  /** The container's {@code docker create}: the spec's ports, env, volumes, ... with the image and extra labels. */
  public static Command.Argv create(String container, String image, ContainerSpec spec, Map<String, String> extraLabels) {
    return create(container, image, spec, extraLabels, null);
  }

  /** The same, on the spec's network at a fixed address (a proxied service's container on the proxy's network). */
  public static Command.Argv create(
      String container, String image, ContainerSpec spec, Map<String, String> extraLabels, String address) {
    List<String> words = new ArrayList<>(List.of("create", "--name", container));
    if (address != null) {
      words.addAll(List.of("--ip", address));
    }
    spec.ports().forEach(port -> words.addAll(List.of("--publish", port)));
    spec.env().forEach((k, v) -> words.addAll(List.of("--env", k + "=" + v)));
    if (spec.envFile() != null) {
      words.addAll(List.of("--env-file", spec.envFile()));
    }
    spec.volumes().forEach(volume -> words.addAll(List.of("--volume", volume)));
    if (spec.network() != null) {
      words.addAll(List.of("--network", spec.network()));
    }
    spec.volumesFrom().forEach(source -> words.addAll(List.of("--volumes-from", source)));
    spec.networkAliases().forEach(alias -> words.addAll(List.of("--network-alias", alias)));
    spec.extraHosts().forEach(host -> words.addAll(List.of("--add-host", host)));
    words.addAll(List.of("--restart", spec.restartPolicy(), "--stop-timeout", Integer.toString(spec.stopTimeout())));
    words.addAll(spec.createOptions());
    Map<String, String> labels = new TreeMap<>(spec.labels());
    labels.putAll(extraLabels);
    labels.forEach((k, v) -> words.addAll(List.of("--label", k + "=" + v)));
    words.add("--");
    words.add(image);
    if (spec.command() != null) {
      words.addAll(spec.command());
    }
    return prefixed(words);
  }

  /** The network's name if it exists (exit 1 if not). */
  public static Command.Argv networkInspect(String network) {
    return docker("network", "inspect", "--format", "{{.Name}}", "--", network);
  }

  /** The network's whole document, as JSON. */
  public static Command.Argv networkDocument(String network) {
    return docker("network", "inspect", "--format", "{{json .}}", "--", network);
  }

  /**
   * A network with a subnet of its own choosing: Docker gives a container a fixed address
   * ({@code --ip}) only on a network whose subnet was given at its creation.
   */
  public static Command.Argv networkCreate(String network, String subnet) {
    return docker("network", "create", "--subnet", subnet, "--", network);
  }

  public static Command.Argv networkCreate(String network) {
    return docker("network", "create", "--", network);
  }

  public static Command.Argv networkConnect(String network, String container) {
    return docker("network", "connect", "--", network, container);
  }

  public static Command.Argv networkRemove(String network) {
    return docker("network", "rm", "--", network);
  }

  /** Runs a program in a running container; with {@code stdin}, what is piped to docker reaches it. */
  public static Command.Argv exec(String container, boolean stdin, List<String> command) {
    List<String> words = new ArrayList<>(List.of("exec"));
    if (stdin) {
      words.add("-i");
    }
    words.add("--");
    words.add(container);
    words.addAll(command);
    return prefixed(words);
  }

  /** Runs a throwaway container of an image, removed when it ends: {@code options} before the image, {@code args} after. */
  public static Command.Argv runOnce(String image, List<String> options, List<String> args) {
    List<String> words = new ArrayList<>(List.of("run", "--rm"));
    words.addAll(options);
    words.add("--");
    words.add(image);
    words.addAll(args);
    return prefixed(words);
  }

  /** {@code docker exec} with options, then {@code --}, the container and its command, as given. */
  public static Command.Argv execWith(List<String> optionsContainerAndCommand) {
    List<String> words = new ArrayList<>(List.of("exec"));
    words.addAll(optionsContainerAndCommand);
    return prefixed(words);
  }

  /** An image of a container's file system as it is now. */
  public static Command.Argv commit(String container, String image) {
    return docker("commit", "--", container, image);
  }

  /** Copies a file on the host into a container (created or running), volumes included. */
  public static Command.Argv copyInto(String hostPath, String container, String path) {
    return docker("cp", "--", hostPath, container + ":" + path);
  }

  public static Command.Argv start(String container) {
    return docker("start", "--", container);
  }

  public static Command.Argv stop(String container, int timeoutSeconds) {
    return docker("stop", "--time", Integer.toString(timeoutSeconds), "--", container);
  }

  public static Command.Argv restart(String container, int timeoutSeconds) {
    return docker("restart", "--time", Integer.toString(timeoutSeconds), "--", container);
  }

  public static Command.Argv rename(String container, String newName) {
    return docker("rename", "--", container, newName);
  }

  /** Removes a stopped container. */
  public static Command.Argv remove(String container) {
    return docker("rm", "--", container);
  }

  /** Removes a stopped container with its anonymous volumes. */
  public static Command.Argv removeWithVolumes(String container) {
    return docker("rm", "--volumes", "--", container);
  }

  public static Command.Argv volumeRemove(String volume) {
    return docker("volume", "rm", "--", volume);
  }

  /** Removes a container, running or not. */
  public static Command.Argv forceRemove(String container) {
    return docker("rm", "--force", "--", container);
  }

  /** The last lines of a container's log. */
  public static Command.Argv logs(String container, int lines, boolean follow) {
    List<String> words = new ArrayList<>(List.of("logs", "--tail", Integer.toString(lines)));
    if (follow) {
      words.add("--follow");
    }
    words.add("--");
    words.add(container);
    return prefixed(words);
  }

  public static Command.Argv pull(String image) {
    return docker("pull", "--", image);
  }

  /** Sends an image to its registry (the daemon's own login and TLS settings apply). */
  public static Command.Argv push(String image) {
    return docker("push", "--", image);
  }

  /**
   * The manifest a registry holds for a reference, read by the CLI itself; {@code insecure} when
   * the daemon talks plain HTTP to that registry, which the CLI does not learn from the daemon.
   */
  public static Command.Argv manifest(String image, boolean insecure) {
    return insecure ? docker("manifest", "inspect", "--insecure", "--", image) : docker("manifest", "inspect", "--", image);
  }

  /** The daemon's registries, with whether each is spoken to over TLS. */
  public static Command.Argv registryConfig() {
    return docker("info", "--format", "{{json .RegistryConfig}}");
  }

  /** A commit with no name yet (its ID is printed): named only once it is known to differ. */
  public static Command.Argv commitUnnamed(String container, String message, List<String> changes) {
    List<String> words = new ArrayList<>(List.of("commit"));
    if (message != null) {
      words.addAll(List.of("--message", message));
    }
    changes.forEach(change -> words.addAll(List.of("--change", change)));
    words.add("--");
    words.add(container);
    return prefixed(words);
  }

  public static Command.Argv tag(String source, String target) {
    return docker("tag", "--", source, target);
  }

  public static Command.Argv removeImage(String image) {
    return docker("image", "rm", "--", image);
  }

  /** Loads a {@code docker save} tar that is on the host. */
  public static Command.Argv load(String path) {
    return docker("load", "--input", path);
  }

  /** A build by the legacy builder (a committed container per step). */
  public static Command.Argv build(
      String image, String context, String dockerfile, Map<String, String> buildArgs, Map<String, String> labels) {
    return prefixed(buildWords(List.of("build"), image, context, dockerfile, buildArgs, labels));
  }

  /**
   * The same build by BuildKit (Docker 18.09 and later; the default builder since 23.0): no
   * container committed per step, three times faster for a small image here. Its log in plain
   * lines, as -v shows it.
   */
  public static Command.Argv buildWithBuildKit(
      String image, String context, String dockerfile, Map<String, String> buildArgs, Map<String, String> labels) {
    List<String> argv = new ArrayList<>(List.of("env", "DOCKER_BUILDKIT=1", "docker"));
    argv.addAll(buildWords(List.of("build", "--progress", "plain"), image, context, dockerfile, buildArgs, labels));
    return Command.of(argv);
  }

  /** What docker says when BuildKit cannot be had: 23.0+ without buildx, or a CLI older than BuildKit. */
  public static boolean buildKitMissing(String stderr) {
    return stderr.contains("BuildKit is enabled but the buildx component is missing")
        || stderr.contains("unknown flag: --progress");
  }

  private static List<String> buildWords(List<String> build, String image, String context, String dockerfile,
      Map<String, String> buildArgs, Map<String, String> labels) {
    List<String> words = new ArrayList<>(build);
    words.addAll(List.of("--tag", image, "--file", dockerfile));
    buildArgs.forEach((name, value) -> words.addAll(List.of("--build-arg", name + "=" + value)));
    labels.forEach((name, value) -> words.addAll(List.of("--label", name + "=" + value)));
    words.add("--");
    words.add(context);
    return words;
  }
}
