package dev.deployer.task;

import dev.deployer.ssh.Command;
import dev.deployer.ssh.RemoteException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes a directory on the host equal to a local one. Files are compared by SHA-256 (never by
 * timestamp), and only those that differ are copied, over SFTP. Symbolic links inside the
 * directory stay links; one that leads out of it is refused unless {@code follow_links: true}.
 * Any name works, whatever bytes it holds. With {@code delete: true}, what the local side does
 * not have is removed.
 */
public final class SyncDirTask implements Task {
  public static final TaskType TYPE = TaskType.named("sync_dir", "make a directory on the host equal a local one, by content hash")
      .arg(Arg.string("src", "the local directory, relative to the playbook").required())
      .arg(Arg.string("dest", "the directory on the host").required().absolutePath())
      .arg(Arg.of("delete", ArgKind.BOOLEAN, "remove files the local directory does not have"))
      .arg(Arg.of("require", ArgKind.STRING_LIST, "files src must have, or nothing is copied (a Dockerfile)"))
      .arg(Arg.of("exclude", ArgKind.STRING_LIST, "glob patterns of files to leave out"))
      .arg(Arg.of("follow_links", ArgKind.BOOLEAN, "copy what links point to, even outside src (default: links stay links)"))
      .create(SyncDirTask::new);

  /** Keeps each remote command line well under any argument-length limit. */
  private static final int BATCH = 200;
  private static final int MAX_DIFF_LINES = 50;
  /** Makes links: $1 $2 is target and name, then the next pair. */
  private static final String MAKE_LINKS = "while [ $# -gt 1 ]; do ln -sfn -- \"$1\" \"$2\" || exit 1; shift 2; done";

  private final String src;
  private final String dest;
  private final boolean delete;
  private final List<String> require;
  private final List<String> exclude;
  private final boolean followLinks;

  SyncDirTask(Args args) {
    this.src = args.string("src");
    this.dest = args.string("dest").replaceAll("/+$", "");
    this.delete = args.bool("delete", false);
    this.require = args.stringList("require");
    this.exclude = args.stringList("exclude");
    this.followLinks = args.bool("follow_links", false);
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
    LocalTree mine = LocalTree.scan(local, exclude, followLinks);
    if (!mine.outside().isEmpty()) {
      return TaskResult.failed("src " + local + " has links that lead out of it, refused (follow_links: true copies"
          + " what they point to): " + String.join(", ", mine.outside()));
    }
    RemoteTree theirs = RemoteTree.read(context.remote(), dest);
    SyncPlan plan = SyncPlan.of(mine, theirs, delete);
    int total = mine.files().size() + mine.links().size();
    if (plan.nothingToDo() && theirs.exists()) {
      return TaskResult.ok(total + " files in sync").withData("files", total);
    }
    TaskResult result = summary(plan, mine, theirs, total);
    if (context.check()) {
      return result.withMessage("would sync: " + result.message());
    }
    apply(context, plan, mine);
    return result;
  }

  private void apply(TaskContext context, SyncPlan plan, LocalTree mine) {
    runBatched(context, List.of("rm", "-rf", "--"), under(plan.inTheWay()));
    List<String> dirs = new ArrayList<>(List.of(dest));
    dirs.addAll(under(plan.dirsToMake()));
    runBatched(context, List.of("mkdir", "-p", "--"), dirs);
    for (String name : plan.filesToCopy()) {
      LocalTree.FileEntry file = mine.files().get(name);
      context.remote().upload(file.path(), dest + "/" + name, file.executable() ? 0755 : 0644);
    }
    List<String> pairs = new ArrayList<>();
    plan.linksToMake().forEach((name, target) -> {
      pairs.add(target);
      pairs.add(dest + "/" + name);
    });
    for (int from = 0; from < pairs.size(); from += BATCH * 2) {
      var made = context.remote().run(Command.script(MAKE_LINKS,
          pairs.subList(from, Math.min(pairs.size(), from + BATCH * 2)).toArray(String[]::new)));
      if (!made.ok()) {
        throw new RemoteException("ln failed: " + made.errorSummary());
      }
    }
    runBatched(context, List.of("rm", "-f", "--"), under(plan.removed()));
    runBatched(context, List.of("rm", "-rf", "--"), under(plan.removedDirs()));
  }

  private List<String> under(List<String> names) {
    return names.stream().map(name -> dest + "/" + name).toList();
  }

  private static TaskResult summary(SyncPlan plan, LocalTree mine, RemoteTree theirs, int total) {
    String message = plan.added().size() + " added, " + plan.changed().size() + " changed, " + plan.removed().size() + " removed";
    TaskResult result = TaskResult.changed(message);
    // One diff line per name, short hashes (or link targets): enough to see what moves without flooding the report.
    List<String> names = new ArrayList<>(plan.added());
    names.addAll(plan.changed());
    names.addAll(plan.removed());
    Map<String, String> localHashes = hashesOf(mine);
    for (String name : names) {
      if (result.diff().size() >= MAX_DIFF_LINES) {
        break;
      }
      result = result.withDiff(name, describe(name, theirs.hashes(), theirs.links()),
          describe(name, localHashes, mine.links()));
    }
    return result
        .withData("added", plan.added())
        .withData("changed", plan.changed())
        .withData("removed", plan.removed())
        .withData("files", total);
  }

  private static Map<String, String> hashesOf(LocalTree tree) {
    Map<String, String> hashes = new java.util.TreeMap<>();
    tree.files().forEach((name, file) -> hashes.put(name, file.sha256()));
    return hashes;
  }

  private static String describe(String name, Map<String, String> hashes, Map<String, String> links) {
    String hash = hashes.get(name);
    return hash != null ? "sha256:" + hash.substring(0, 12) : links.containsKey(name) ? "link to " + links.get(name) : "absent";
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
}
