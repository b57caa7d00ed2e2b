package dev.deployer.task;

import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.RemoteException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Makes a directory on the host equal to a local one, the way rsync does it: one listing of the
 * host's side (names, sizes, times, modes), SHA-256 read on both sides only for files of the same
 * size whose times differ (or for every file with {@code checksum: true}), then everything that
 * changed sent in one tar stream over one channel, and what is gone removed with one command. A
 * copied file keeps its modification time, so the next run compares by size and time alone.
 * Memory follows what changes: files are streamed, never held. Symbolic links inside the
 * directory stay links; one that leads out of it is refused unless {@code follow_links: true}.
 * Any name works, whatever bytes it holds. With {@code delete: true}, what the local side does not
 * have is removed.
 */
public final class SyncDirTask implements Task {
  public static final TaskType TYPE = TaskType.named("sync_dir",
          "make a directory on the host equal a local one (rsync's way: size and time, then content hash)")
      .arg(Arg.string("src", "the local directory, relative to the playbook").required())
      .arg(Arg.string("dest", "the directory on the host").required().absolutePath())
      .arg(Arg.of("delete", ArgKind.BOOLEAN, "remove files the local directory does not have"))
      .arg(Arg.of("require", ArgKind.STRING_LIST, "files src must have, or nothing is copied (a Dockerfile)"))
      .arg(Arg.of("exclude", ArgKind.STRING_LIST, "glob patterns of files to leave out"))
      .arg(Arg.of("follow_links", ArgKind.BOOLEAN, "copy what links point to, even outside src (default: links stay links)"))
      .arg(Arg.of("checksum", ArgKind.BOOLEAN, "compare every file of the same size by SHA-256, not by time (rsync -c)"))
      .create(SyncDirTask::new);

  private static final int MAX_DIFF_LINES = 50;
  /** $1 is the directory; stdin holds NUL-separated names, each removed with what is under it. */
  private static final String REMOVE = "cd \"$1\" && xargs -0 -r rm -rf --";
  /** $1 is the directory, made if missing; stdin is the tar stream. -o: files belong to whoever extracts them. */
  private static final String EXTRACT = "mkdir -p -- \"$1\" && cd \"$1\" && exec tar -x -o -f -";
  /** $1 is the directory; stdin holds NUL-separated pairs of seconds since 1970 and name. */
  private static final String RETIME = "cd \"$1\" && xargs -0 -r -n 2 sh -c 'touch -m -d \"@$0\" -- \"$1\"'";

  private final String src;
  private final String dest;
  private final boolean delete;
  private final List<String> require;
  private final List<String> exclude;
  private final boolean followLinks;
  private final boolean checksum;

  SyncDirTask(Args args) {
    this.src = args.string("src");
    this.dest = args.string("dest").replaceAll("/+$", "");
    this.delete = args.bool("delete", false);
    this.require = args.stringList("require");
    this.exclude = args.stringList("exclude");
    this.followLinks = args.bool("follow_links", false);
    this.checksum = args.bool("checksum", false);
  }

  @Override
  public TaskResult run(TaskContext context) {
    Path local = context.playbookDir().resolve(src).normalize();
    if (!Files.isDirectory(local)) {
      return TaskResult.failed("src " + local + " is not a directory");
    }
    for (String required : require) {
      if (!Files.exists(local.resolve(required))) {
        return TaskResult.failed("src " + local + " has no " + required + "; refusing to sync it");
      }
    }
    // Read once per run, however many hosts it goes to (they share the tree and its hashes).
    LocalTree mine = context.run().memo().get(List.of("sync_dir", local, exclude, followLinks),
        () -> LocalTree.scan(local, exclude, followLinks));
    if (!mine.outside().isEmpty()) {
      return TaskResult.failed("src " + local + " has links that lead out of it, refused (follow_links: true copies"
          + " what they point to): " + String.join(", ", mine.outside()));
    }
    RemoteTree theirs = RemoteTree.read(context.remote(), dest);
    List<String> suspects = SyncPlan.suspects(mine, theirs, checksum);
    Map<String, String> remoteHashes = RemoteTree.hashes(context.remote(), dest, suspects);
    Set<String> sameContent = new HashSet<>();
    for (String name : suspects) {
      if (mine.files().get(name).sha256().equals(remoteHashes.get(name))) {
        sameContent.add(name);
      }
    }
    SyncPlan plan = SyncPlan.of(mine, theirs, delete, sameContent, checksum);
    int total = mine.files().size() + mine.links().size();
    if (plan.nothingToDo() && theirs.exists()) {
      if (!plan.retime().isEmpty() && !context.check()) {
        retime(context, plan, mine);
      }
      String retimed = plan.retime().isEmpty() ? "" : " (" + plan.retime().size() + " with another time and the same"
          + " content: time " + (context.check() ? "would be " : "") + "set)";
      return TaskResult.ok(total + " files in sync" + retimed).withData("files", total);
    }
    TaskResult result = summary(plan, mine, theirs, remoteHashes, total);
    if (context.check()) {
      return result.withMessage("would sync: " + result.message());
    }
    apply(context, plan, mine, theirs);
    return result;
  }

  private void apply(TaskContext context, SyncPlan plan, LocalTree mine, RemoteTree theirs) {
    // What stands in the way goes before anything is written, so nothing is written through a link.
    List<String> gone = new ArrayList<>(plan.inTheWay());
    gone.addAll(plan.removed());
    gone.addAll(plan.removedDirs());
    if (!gone.isEmpty()) {
      check("rm", context.remote().runWithInput(Command.script(REMOVE, dest), out -> writeNames(out, gone)));
    }
    if (!theirs.exists() || !plan.filesToCopy().isEmpty() || !plan.linksToMake().isEmpty() || !plan.dirsToMake().isEmpty()) {
      check("tar", context.remote().runWithInput(Command.script(EXTRACT, dest), out -> writeTar(out, plan, mine)));
    }
    if (!plan.retime().isEmpty()) {
      retime(context, plan, mine);
    }
  }

  /** Directories, then files, then links, as one tar stream: modes 0755/0644 and local modification times. */
  private static void writeTar(OutputStream out, SyncPlan plan, LocalTree mine) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(new BufferedOutputStream(out, 32 * 1024), "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    for (String dir : plan.dirsToMake()) {
      TarArchiveEntry entry = new TarArchiveEntry(dir + "/");
      entry.setMode(040755);
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
    }
    for (String name : plan.filesToCopy()) {
      LocalTree.FileEntry file = mine.files().get(name);
      TarArchiveEntry entry = new TarArchiveEntry(name, true);
      entry.setSize(file.size());
      entry.setMode(file.executable() ? 0100755 : 0100644);
      entry.setModTime(FileTime.from(file.mtime(), TimeUnit.SECONDS));
      tar.putArchiveEntry(entry);
      Files.copy(file.path(), tar);
      tar.closeArchiveEntry();
    }
    for (Map.Entry<String, String> link : plan.linksToMake().entrySet()) {
      TarArchiveEntry entry = new TarArchiveEntry(link.getKey(), TarConstants.LF_SYMLINK, true);
      entry.setLinkName(link.getValue());
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
    }
    // close, not finish: the last block is written only then (and the stream's end is the archive's).
    tar.close();
  }

  /** Gives files whose content was found equal the local time, so the next run need not hash them. */
  private void retime(TaskContext context, SyncPlan plan, LocalTree mine) {
    List<String> pairs = new ArrayList<>();
    for (String name : plan.retime()) {
      pairs.add(String.valueOf(mine.files().get(name).mtime()));
      pairs.add(name);
    }
    check("touch", context.remote().runWithInput(Command.script(RETIME, dest), out -> writeNames(out, pairs)));
  }

  private static void writeNames(OutputStream out, List<String> names) throws IOException {
    for (String name : names) {
      out.write(name.getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
  }

  private void check(String what, CommandResult result) {
    if (!result.ok()) {
      throw new RemoteException(what + " in " + dest + " failed: " + result.errorSummary());
    }
  }

  private static TaskResult summary(SyncPlan plan, LocalTree mine, RemoteTree theirs, Map<String, String> remoteHashes,
      int total) {
    String message = plan.added().size() + " added, " + plan.changed().size() + " changed, " + plan.removed().size() + " removed";
    TaskResult result = TaskResult.changed(message);
    // One diff line per name, short hashes (or sizes, link targets): enough to see what moves without flooding the report.
    List<String> names = new ArrayList<>(plan.added());
    names.addAll(plan.changed());
    names.addAll(plan.removed());
    for (String name : names) {
      if (result.diff().size() >= MAX_DIFF_LINES) {
        break;
      }
      result = result.withDiff(name, before(name, theirs, remoteHashes), after(name, mine));
    }
    return result
        .withData("added", plan.added())
        .withData("changed", plan.changed())
        .withData("removed", plan.removed())
        .withData("files", total);
  }

  private static String before(String name, RemoteTree theirs, Map<String, String> remoteHashes) {
    RemoteTree.RemoteFile file = theirs.files().get(name);
    if (file != null) {
      String hash = remoteHashes.get(name);
      return file.size() + " bytes" + (hash != null ? ", sha256:" + hash.substring(0, 12) : "")
          + (file.executable() ? ", executable" : "");
    }
    return theirs.links().containsKey(name) ? "link to " + theirs.links().get(name)
        : theirs.dirs().contains(name) ? "directory" : "absent";
  }

  private static String after(String name, LocalTree mine) {
    LocalTree.FileEntry file = mine.files().get(name);
    if (file != null) {
      return file.size() + " bytes, sha256:" + file.sha256().substring(0, 12) + (file.executable() ? ", executable" : "");
    }
    return mine.links().containsKey(name) ? "link to " + mine.links().get(name) : "absent";
  }
}
