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
 * Names are relative to the directory.
 */
record SyncPlan(List<String> added, List<String> changed, List<String> removed, List<String> removedDirs,
    List<String> filesToCopy, Map<String, String> linksToMake, List<String> inTheWay, List<String> dirsToMake) {

  static SyncPlan of(LocalTree mine, RemoteTree theirs, boolean delete) {
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> filesToCopy = new ArrayList<>();
    List<String> inTheWay = new ArrayList<>();
    mine.files().forEach((name, file) -> {
      String remoteHash = theirs.hashes().get(name);
      boolean otherThere = theirs.links().containsKey(name) || theirs.dirs().contains(name);
      if (remoteHash == null && !otherThere) {
        added.add(name);
      } else if (otherThere || !remoteHash.equals(file.sha256()) || theirs.executables().contains(name) != file.executable()) {
        changed.add(name);
      } else {
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
      boolean somethingThere = theirs.links().containsKey(name) || theirs.hashes().containsKey(name)
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
      theirs.hashes().keySet().stream().filter(name -> !mine.files().containsKey(name) && !mine.links().containsKey(name))
          .forEach(removed::add);
      theirs.links().keySet().stream().filter(name -> !mine.links().containsKey(name) && !mine.files().containsKey(name)
          && !mine.dirs().contains(name)).forEach(removed::add);
    }
    List<String> removedDirs = delete ? extraDirs(mine, theirs.dirs()) : List.of();
    Set<String> dirsToMake = new TreeSet<>();
    mine.dirs().stream().filter(dir -> !theirs.dirs().contains(dir)).forEach(dirsToMake::add);
    return new SyncPlan(added, changed, removed, removedDirs, filesToCopy, linksToMake, inTheWay,
        new ArrayList<>(dirsToMake));
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
