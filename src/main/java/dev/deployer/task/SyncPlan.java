package dev.deployer.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What sync_dir has to do to make the host's directory equal the local one: files and links to
 * add or change, what to remove, and what stands in the way (a link where a file goes, a file
 * where a link goes) and must go first, so nothing is ever written through a link on the host.
 * A file of the same size and modification time on both sides is taken as the same (rsync's quick
 * check); one of the same size but another time is compared by SHA-256 ({@link #suspects}), and if
 * equal only its time is set ({@code retime}). Names are relative to the directory.
 */
record SyncPlan(List<String> added, List<String> changed, List<String> removed, List<String> removedDirs,
    List<String> filesToCopy, Map<String, String> linksToMake, List<String> inTheWay, List<String> dirsToMake,
    List<String> retime) {

  /**
   * The files whose content must be compared by hash: same size on both sides but another
   * modification time, or every file of the same size when {@code checksum} is asked for.
   */
  static List<String> suspects(LocalTree mine, RemoteTree theirs, boolean checksum) {
    List<String> suspects = new ArrayList<>();
    mine.files().forEach((name, file) -> {
      RemoteTree.RemoteFile remote = theirs.files().get(name);
      if (remote != null && remote.size() == file.size() && remote.executable() == file.executable()
          && (checksum || remote.mtime() != file.mtime())) {
        suspects.add(name);
      }
    });
    return suspects;
  }

  /** @param sameContent the suspects whose hashes matched */
  static SyncPlan of(LocalTree mine, RemoteTree theirs, boolean delete, Set<String> sameContent, boolean checksum) {
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> filesToCopy = new ArrayList<>();
    List<String> inTheWay = new ArrayList<>();
    List<String> retime = new ArrayList<>();
    mine.files().forEach((name, file) -> {
      RemoteTree.RemoteFile remote = theirs.files().get(name);
      boolean otherThere = theirs.links().containsKey(name) || theirs.dirs().contains(name);
      if (remote == null && !otherThere) {
        added.add(name);
      } else if (otherThere || remote.size() != file.size() || remote.executable() != file.executable()
          || (checksum || remote.mtime() != file.mtime()) && !sameContent.contains(name)) {
        changed.add(name);
      } else {
        if (remote.mtime() != file.mtime()) {
          retime.add(name);
        }
        return;
      }
      filesToCopy.add(name);
      if (otherThere) {
        inTheWay.add(name);
      }
    });
    Map<String, String> linksToMake = new LinkedHashMap<>();
    mine.links().forEach((name, target) -> {
      if (target.equals(theirs.links().get(name))) {
        return;
      }
      boolean somethingThere = theirs.links().containsKey(name) || theirs.files().containsKey(name)
          || theirs.dirs().contains(name);
      (somethingThere ? changed : added).add(name);
      if (somethingThere) {
        inTheWay.add(name);
      }
      linksToMake.put(name, target);
    });
    // A local directory where the host has a link: the link goes, or mkdir would follow it.
    mine.dirs().stream().filter(theirs.links()::containsKey).forEach(inTheWay::add);
    List<String> removed = new ArrayList<>();
    if (delete) {
      theirs.files().keySet().stream().filter(name -> !mine.files().containsKey(name) && !mine.links().containsKey(name))
          .forEach(removed::add);
      theirs.links().keySet().stream().filter(name -> !mine.links().containsKey(name) && !mine.files().containsKey(name)
          && !mine.dirs().contains(name)).forEach(removed::add);
    }
    List<String> removedDirs = delete ? extraDirs(mine, theirs.dirs()) : List.of();
    Set<String> dirsToMake = new TreeSet<>();
    mine.dirs().stream().filter(dir -> !theirs.dirs().contains(dir)).forEach(dirsToMake::add);
    return new SyncPlan(added, changed, removed, removedDirs, filesToCopy, linksToMake, inTheWay,
        new ArrayList<>(dirsToMake), retime);
  }

  boolean nothingToDo() {
    return added.isEmpty() && changed.isEmpty() && removed.isEmpty() && removedDirs.isEmpty();
  }

  /** The top-most remote directories that the local tree does not have as directories. */
  private static List<String> extraDirs(LocalTree mine, Set<String> remote) {
    List<String> extra = new ArrayList<>();
    for (String dir : remote) {
      int slash = dir.lastIndexOf('/');
      boolean parentKept = slash < 0 || mine.dirs().contains(dir.substring(0, slash));
      if (!mine.dirs().contains(dir) && parentKept) {
        extra.add(dir);
      }
    }
    return extra;
  }
}
