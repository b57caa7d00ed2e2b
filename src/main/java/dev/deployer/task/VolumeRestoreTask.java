package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Restores a volume from a {@code tar.gz} that {@code volume_backup} made: on the host
 * ({@code src}, or the newest of its source in {@code newest_in}) or sent from the controller
 * first ({@code upload}). The archive's SHA-256 must
 * match the one beside it (or, for an upload, the local file's); an entry that is absolute, climbs
 * out with {@code ..}, or links out of the volume refuses the whole archive. A volume that holds
 * anything is replaced only with {@code force: true}. A running container is stopped around it.
 */
public final class VolumeRestoreTask implements Task {
  /** Entries as tar lists them ("name" or "name -> target"): anything absolute or with a .. part is refused. */
  private static final String UNSAFE = "tar -tvzf \"/backup/$1\" | sed -n 's/^.\\{10\\} .* [0-9:]\\{4,8\\} //p'"
      + " | awk -F ' -> ' '{ for (i = 1; i <= NF; i++) if ($i ~ /^\\// || $i ~ /(^|\\/)\\.\\.(\\/|$)/) { print; break } }'";
  private static final String ENTRIES = "ls -A -- \"$1\" | wc -l";
  /** The newest archive volume_backup named by time for this source, in a directory. */
  private static final String NEWEST = "cd -- \"$1\" && ls -1 -- \"$2\"-" + VolumeBackupTask.TIMED + " 2>/dev/null | sort | tail -n 1";
  private static final String RESTORE = "find \"$1\" -mindepth 1 -maxdepth 1 -exec rm -rf -- {} + && tar -xzf \"/backup/$2\" -C \"$1\"";

  public static final TaskType TYPE = TaskType.named("volume_restore", "restore a volume from a volume_backup archive, its SHA-256 checked")
      .args(VolumeSource.args())
      .arg(Arg.string("src", "the archive on the host (its .sha256 beside it)").absolutePath())
      .arg(Arg.string("upload", "an archive on the controller (relative to the playbook), sent first"))
      .arg(Arg.string("newest_in", "a directory on the host: restore the newest archive volume_backup made of this source there")
          .absolutePath())
      .arg(Arg.of("force", ArgKind.BOOLEAN, "replace what the volume holds (default: refuse when it holds anything)"))
      .create(VolumeRestoreTask::new);

  private final VolumeSource source;
  private final String src;
  private final String upload;
  private final String newestIn;
  private final boolean force;

  VolumeRestoreTask(Args args) {
    this.source = VolumeSource.from(args);
    this.src = args.string("src", null);
    this.upload = args.string("upload", null);
    this.newestIn = args.string("newest_in", null);
    this.force = args.bool("force", false);
    if (java.util.stream.Stream.of(src, upload, newestIn).filter(java.util.Objects::nonNull).count() != 1) {
      throw args.error("src", "give src (an archive on the host), upload (one on the controller) or newest_in"
          + " (a directory of backups on the host), one of them");
    }
  }

  @Override
  public TaskResult run(TaskContext ctx) {
    Docker docker = ctx.docker();
    Optional<JsonNode> container = source.container() == null ? Optional.empty() : docker.inspectContainer(source.container());
    if (source.container() != null && container.isEmpty()) {
      return TaskResult.failed("there is no container " + source.container() + " to restore into");
    }
    String archive;
    String wantedHash;
    String sentCopy = null;
    if (upload != null) {
      Path local = Path.of(upload).isAbsolute() ? Path.of(upload) : ctx.playbookDir().resolve(upload);
      try {
        wantedHash = VolumeBackupTask.sha256(local);
      } catch (IOException e) {
        return TaskResult.failed("cannot read " + local + ": " + e.getMessage());
      }
      if (ctx.check()) {
        return TaskResult.changed("would send " + local + " and restore it into " + source.describe());
      }
      archive = "/tmp/deployer-restore-" + wantedHash.substring(0, 16) + ".tar.gz";
      sentCopy = archive;
      ctx.remote().upload(local, archive, 0600);
    } else {
      archive = src != null ? src : newest(docker);
      if (archive == null) {
        return TaskResult.failed("no backup of " + source.describe() + " in " + newestIn + " (looked for "
            + source.fileLabel() + "-" + VolumeBackupTask.TIMED + ")");
      }
      CommandResult recorded = docker.attempt(Command.of("cat", "--", archive + ".sha256"));
      if (!recorded.ok()) {
        return TaskResult.failed("no " + archive + ".sha256 beside the archive: its content cannot be checked");
      }
      wantedHash = recorded.stdout().trim().split("\\s+")[0];
    }
    try {
      return restore(ctx, docker, container, archive, wantedHash);
    } finally {
      if (sentCopy != null) {
        docker.attempt(Command.of("rm", "-f", "--", sentCopy));
      }
    }
  }

  /** The newest time-named archive of this source in newest_in, or null when there is none. */
  private String newest(Docker docker) {
    String file = docker.attempt(Command.script(NEWEST, newestIn, source.fileLabel())).stdout().strip();
    return file.isEmpty() ? null : newestIn.replaceAll("/$", "") + "/" + file;
  }

  private TaskResult restore(TaskContext ctx, Docker docker, Optional<JsonNode> container, String archive, String wantedHash) {
    CommandResult hashed = docker.attempt(Command.of("sha256sum", "--", archive));
    if (!hashed.ok()) {
      return TaskResult.failed("cannot read " + archive + ": " + hashed.errorSummary());
    }
    String actual = hashed.stdout().trim().split("\\s+")[0];
    if (!actual.equals(wantedHash)) {
      return TaskResult.failed(archive + " does not match its SHA-256 (" + actual + ", expected " + wantedHash
          + "): it is damaged or not the backup it claims to be; nothing was restored");
    }
    String dir = archive.substring(0, archive.lastIndexOf('/'));
    String file = archive.substring(archive.lastIndexOf('/') + 1);
    List<String> readOnly = List.of("--volume", (dir.isEmpty() ? "/" : dir) + ":/backup:ro");
    String unsafe = docker.run("list " + archive, source.helper(docker, readOnly, UNSAFE, file)).trim();
    if (!unsafe.isEmpty()) {
      return TaskResult.failed(archive + " has entries that lead out of the volume (" + unsafe.lines().limit(3).toList()
          + "): nothing was restored");
    }
    int entries = Integer.parseInt(docker.run("look into " + source.describe(),
        source.helper(docker, List.of(), ENTRIES, source.dataPath())).trim());
    if (entries > 0 && !force) {
      return TaskResult.failed(source.describe() + " holds " + entries + " entr" + (entries == 1 ? "y" : "ies")
          + ": it is left as it is; force: true replaces them with the archive");
    }
    TaskResult plan = TaskResult.changed("restore " + archive + " into " + source.describe()
        + (entries > 0 ? " (replacing its " + entries + " entries)" : ""));
    if (ctx.check()) {
      return plan.withMessage("would " + plan.message());
    }
    boolean running = container.map(c -> c.path("State").path("Running").asBoolean()).orElse(false);
    if (running) {
      docker.run("stop " + source.container(), DockerCommands.stop(source.container(), 10));
    }
    try {
      docker.run("restore " + archive, source.helper(docker, readOnly, RESTORE, source.dataPath(), file));
    } finally {
      if (running) {
        docker.run("start " + source.container() + " again", DockerCommands.start(source.container()));
      }
    }
    return TaskResult.changed("restored " + archive + " into " + source.describe() + " (sha256 " + actual.substring(0, 12)
        + " checked" + (entries > 0 ? ", replaced " + entries + " entries" : "") + (running ? ", stopped around it" : "") + ")");
  }
}
