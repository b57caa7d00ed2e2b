package dev.deployer.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncPlanTest {
  private static LocalTree.FileEntry local(long size, long mtime) {
    return new LocalTree.FileEntry(Path.of("/nowhere"), size, mtime, false);
  }

  private static final LocalTree MINE = new LocalTree(
      Map.of("same.txt", local(10, 100), "touched.txt", local(10, 200), "grown.txt", local(12, 100),
          "new.txt", local(1, 100), "dir/was-link/file.txt", local(1, 100)),
      Set.of("dir", "dir/was-link"), Map.of("link", "same.txt"), List.of());

  private static final RemoteTree THEIRS = new RemoteTree(true,
      Map.of("same.txt", new RemoteTree.RemoteFile(10, 100, false), "touched.txt", new RemoteTree.RemoteFile(10, 150, false),
          "grown.txt", new RemoteTree.RemoteFile(10, 100, false), "gone.txt", new RemoteTree.RemoteFile(3, 100, false)),
      Set.of("dir", "olddir"), Map.of("dir/was-link", "/etc", "link", "other.txt"));

  @Test
  void sizeAndTimeDecideUnlessTheyDisagreeAndOnlyThenContentIsHashed() {
    assertEquals(List.of("touched.txt"), SyncPlan.suspects(MINE, THEIRS, false));
    SyncPlan plan = SyncPlan.of(MINE, THEIRS, true, Set.of("touched.txt"), false);
    assertEquals(List.of("dir/was-link/file.txt", "new.txt"), plan.added().stream().sorted().toList());
    assertEquals(List.of("grown.txt", "link"), plan.changed().stream().sorted().toList());
    assertEquals(List.of("touched.txt"), plan.retime(), "same content, another time: only the time is set");
    assertEquals(List.of("gone.txt"), plan.removed());
    assertEquals(List.of("olddir"), plan.removedDirs());
    // A link where a directory goes is removed first, so nothing is written through it.
    assertTrue(plan.inTheWay().containsAll(List.of("dir/was-link", "link")), plan.inTheWay().toString());
    assertEquals(Map.of("link", "same.txt"), plan.linksToMake());
  }

  @Test
  void aTouchedFileWhoseContentDiffersIsCopiedAndChecksumHashesEveryFileOfTheSameSize() {
    SyncPlan plan = SyncPlan.of(MINE, THEIRS, false, Set.of(), false);
    assertTrue(plan.filesToCopy().contains("touched.txt"));
    assertEquals(List.of(), plan.removed(), "nothing removed without delete");
    assertEquals(List.of("same.txt", "touched.txt"), SyncPlan.suspects(MINE, THEIRS, true).stream().sorted().toList());
    SyncPlan checked = SyncPlan.of(MINE, THEIRS, false, Set.of("touched.txt"), true);
    assertTrue(checked.filesToCopy().contains("same.txt"), "with checksum, same size and time is not enough");
  }
}
