package dev.deployer.task;

import dev.deployer.ssh.Command;
import dev.deployer.ssh.RemoteException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes a directory on the host equal to a local one. Files are compared by SHA-256 (never by
 * timestamp), and only those that differ are copied, over SFTP. With {@code delete: true}, files
 * the local side does not have are removed.
 */
public final class SyncDirTask implements Task {
  public static final TaskType TYPE = TaskType.named("sync_dir", "make a directory on the host equal a local one, by content hash")
      .arg(Arg.string("src", "the local directory, relative to the playbook").required())
      .arg(Arg.string("dest", "the directory on the host").required().absolutePath())
      .arg(Arg.of("delete", ArgKind.BOOLEAN, "remove files the local directory does not have"))
      .arg(Arg.of("require", ArgKind.STRING_LIST, "files src must have, or nothing is copied (a Dockerfile)"))
      .arg(Arg.of("exclude", ArgKind.STRING_LIST, "glob patterns of files to leave out"))
      .create(SyncDirTask::new);

  /** Keeps each remote command line well under any argument-length limit. */
  private static final int BATCH = 200;
  private static final int MAX_DIFF_LINES = 50;

  private final String src;
  private final String dest;
  private final boolean delete;
  private final List<String> require;
  private final List<String> exclude;

  SyncDirTask(Args args) {
    this.src = args.string("src");
    this.dest = args.string("dest").replaceAll("/+$", "");
    this.delete = args.bool("delete", false);
    this.require = args.stringList("require");
    this.exclude = args.stringList("exclude");
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
    LocalTree mine = LocalTree.scan(local, exclude);
    RemoteTree theirs = RemoteTree.read(context.remote(), dest);

    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    mine.files().forEach((name, file) -> {
      String remoteHash = theirs.hashes().get(name);
      if (remoteHash == null) {
        added.add(name);
      } else if (!remoteHash.equals(file.sha256()) || theirs.executables().contains(name) != file.executable()) {
        changed.add(name);
      }
    });
    List<String> removed = new ArrayList<>();
    if (delete) {
      theirs.hashes().keySet().stream().filter(name -> !mine.files().containsKey(name)).forEach(removed::add);
    }
    List<String> removedDirs = delete ? extraDirs(mine.dirs(), theirs.dirs()) : List.of();

    TaskResult result = summary(added, changed, removed, mine, theirs);
    if (added.isEmpty() && changed.isEmpty() && removed.isEmpty() && removedDirs.isEmpty() && theirs.exists()) {
      return TaskResult.ok(mine.files().size() + " files in sync").withData("files", mine.files().size());
    }
    if (context.check()) {
      return result.withMessage("would sync: " + result.message());
    }
    Set<String> dirsToMake = new TreeSet<>();
    dirsToMake.add(dest);
    mine.dirs().stream().filter(dir -> !theirs.dirs().contains(dir)).forEach(dir -> dirsToMake.add(dest + "/" + dir));
    runBatched(context, List.of("mkdir", "-p", "--"), new ArrayList<>(dirsToMake));
    for (String name : concat(added, changed)) {
      LocalTree.FileEntry file = mine.files().get(name);
      context.remote().upload(file.path(), dest + "/" + name, file.executable() ? 0755 : 0644);
    }
    runBatched(context, List.of("rm", "-f", "--"), removed.stream().map(name -> dest + "/" + name).toList());
    runBatched(context, List.of("rm", "-rf", "--"), removedDirs.stream().map(dir -> dest + "/" + dir).toList());
    return result;
  }

  private static TaskResult summary(
      List<String> added, List<String> changed, List<String> removed, LocalTree mine, RemoteTree theirs) {
    int total = mine.files().size();
    String message = added.size() + " added, " + changed.size() + " changed, " + removed.size() + " removed";
    TaskResult result = TaskResult.changed(message);
    // One diff line per file, short hashes: enough to see what moves without flooding the report.
    for (String name : concat(concat(added, changed), removed)) {
      if (result.diff().size() >= MAX_DIFF_LINES) {
        break;
      }
      LocalTree.FileEntry file = mine.files().get(name);
      result = result.withDiff(name, shortHash(theirs.hashes().get(name)), file == null ? "absent" : shortHash(file.sha256()));
    }
    return result
        .withData("added", added)
        .withData("changed", changed)
        .withData("removed", removed)
        .withData("files", total);
  }

  private static String shortHash(String sha256) {
    return sha256 == null ? "absent" : "sha256:" + sha256.substring(0, 12);
  }

  /** The top-most remote directories that the local tree does not have. */
  private static List<String> extraDirs(Set<String> local, Set<String> remote) {
    List<String> extra = new ArrayList<>();
    for (String dir : remote) {
      int slash = dir.lastIndexOf('/');
      boolean parentKept = slash < 0 || local.contains(dir.substring(0, slash));
      if (!local.contains(dir) && parentKept) {
        extra.add(dir);
      }
    }
    return extra;
  }

  private static void runBatched(TaskContext context, List<String> program, List<String> paths) {
    for (int from = 0; from < paths.size(); from += BATCH) {
      List<String> argv = new ArrayList<>(program);
      argv.addAll(paths.subList(from, Math.min(paths.size(), from + BATCH)));
      var result = context.remote().run(Command.of(argv));
      if (!result.ok()) {
        throw new RemoteException(program.get(0) + " failed: " + result.errorSummary());
      }
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
