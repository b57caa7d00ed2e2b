package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Backs a volume up to {@code DEST/NAME.tar.gz} on the host, with its SHA-256 beside it in
 * {@code NAME.tar.gz.sha256} (as sha256sum writes it, so {@code sha256sum -c} checks it); with
 * {@code fetch}, also to the controller, checked against that hash. {@code stop: true} stops the
 * container around the copy for a consistent one; {@code keep} prunes older backups of the same
 * source. A backup is always a change.
 */
public final class VolumeBackupTask implements Task {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  /** The names this task gives by default (SOURCE-20261202T213000Z.tar.gz): another source's never match. */
  static final String TIMED = "[0-9]*T[0-9]*Z.tar.gz";
  private static final String TAR = "tar -czf \"/backup/$2\" -C \"$1\" .";
  private static final String HASH = "cd -- \"$1\" && sha256sum -- \"$2\" > \"$2.sha256\" && cut -d ' ' -f 1 \"$2.sha256\"";
  /** Older backups of the same source beyond the newest N, by name (the time in it sorts). */
  private static final String PRUNE = "cd -- \"$1\" && ls -1 -- \"$2\"-" + TIMED + " 2>/dev/null | sort -r | tail -n +\"$3\""
      + " | while IFS= read -r f; do rm -f -- \"$f\" \"$f.sha256\" && echo \"$f\"; done";

  public static final TaskType TYPE = TaskType.named("volume_backup", "back a volume up to a tar.gz on the host, with its SHA-256")
      .args(VolumeSource.args())
      .arg(Arg.string("dest", "the directory on the host for the archive").required().absolutePath())
      .arg(Arg.string("name", "the file name without .tar.gz (default: SOURCE-UTCTIME)").matching(
          java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*"), "letters, digits, '_', '.' and '-'"))
      .arg(Arg.string("fetch", "a directory on the controller (relative to the playbook) to bring the archive back to, checked"))
      .arg(Arg.of("keep", ArgKind.INTEGER, "backups of this source kept in dest, the newest (default: all)").atLeast(1))
      .arg(Arg.of("stop", ArgKind.BOOLEAN, "stop the container around the copy, for a consistent one (default: false)"))
      .create(VolumeBackupTask::new);

  private final VolumeSource source;
  private final String dest;
  private final String name;
  private final String fetch;
  private final int keep;
  private final boolean stop;

  VolumeBackupTask(Args args) {
    this.source = VolumeSource.from(args);
    this.dest = args.string("dest");
    this.name = args.string("name", null);
    this.fetch = args.string("fetch", null);
    this.keep = args.integer("keep", 0);
    this.stop = args.bool("stop", false);
    if (stop && source.container() == null) {
      throw args.error("stop", "needs container: a named volume has no container to stop");
    }
  }

  @Override
  public TaskResult run(TaskContext ctx) {
    Docker docker = ctx.docker();
    String file = (name != null ? name : source.fileLabel() + "-" + TIME.format(ctx.clock().instant())) + ".tar.gz";
    String archive = dest + "/" + file;
    Optional<JsonNode> container = source.container() == null ? Optional.empty() : docker.inspectContainer(source.container());
    if (source.container() != null && container.isEmpty()) {
      return TaskResult.failed("there is no container " + source.container() + " to back up");
    }
    TaskResult plan = TaskResult.changed("back up " + source.describe() + " to " + archive);
    if (ctx.check()) {
      return plan.withMessage("would " + plan.message());
    }
    boolean stopped = false;
    if (stop && container.get().path("State").path("Running").asBoolean()) {
      docker.run("stop " + source.container(), DockerCommands.stop(source.container(), 10));
      stopped = true;
    }
    try {
      docker.run("make " + dest, Command.of("mkdir", "-p", "--", dest));
      docker.run("back up " + source.describe(),
          source.helper(docker, List.of("--volume", dest + ":/backup"), TAR, source.dataPath(), file));
    } finally {
      if (stopped) {
        docker.run("start " + source.container() + " again", DockerCommands.start(source.container()));
      }
    }
    String sha256 = docker.run("hash " + archive, Command.script(HASH, dest, file));
    long bytes = Long.parseLong(docker.run("size of " + archive, Command.of("stat", "-c", "%s", "--", archive)));
    StringBuilder message = new StringBuilder("backed up " + source.describe() + " to " + archive + " (" + bytes
        + " bytes, sha256 " + sha256.substring(0, 12) + ")" + (stopped ? ", stopped around the copy" : ""));
    if (fetch != null) {
      Path into = Path.of(fetch);
      Path local = (into.isAbsolute() ? into : ctx.playbookDir().resolve(into)).resolve(file);
      try {
        Files.createDirectories(local.getParent());
        ctx.remote().download(archive, local);
        String localHash = sha256(local);
        if (!localHash.equals(sha256)) {
          Files.deleteIfExists(local);
          return TaskResult.failed("fetched " + archive + " to " + local + " but its SHA-256 differs (" + localHash
              + " here, " + sha256 + " on the host): removed here");
        }
        Files.writeString(local.resolveSibling(file + ".sha256"), sha256 + "  " + file + "\n");
      } catch (IOException e) {
        return TaskResult.failed("backed up to " + archive + " but cannot fetch it to " + local + ": " + e.getMessage());
      }
      message.append("; fetched to ").append(local).append(", hash checked");
    }
    if (keep > 0) {
      CommandResult pruned = docker.attempt(Command.script(PRUNE, dest, source.fileLabel(), Integer.toString(keep + 1)));
      long count = pruned.stdout().lines().filter(l -> !l.isBlank()).count();
      if (count > 0) {
        message.append("; pruned ").append(count).append(" older backup(s)");
      }
    }
    return TaskResult.changed(message.toString())
        .withData("file", archive)
        .withData("sha256", sha256)
        .withData("bytes", bytes);
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
