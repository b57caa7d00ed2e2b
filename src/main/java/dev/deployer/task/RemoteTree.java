package dev.deployer.task;

import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.Remote;
import dev.deployer.ssh.RemoteException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The files under a directory on the host, with SHA-256 and executable bit, its directories and
 * its symbolic links with their targets, read with one command. Names are separated by NUL bytes
 * (sha256sum -z, find -print0), so any name is read back as it is: a backslash, a star or a
 * newline in it changes nothing.
 */
record RemoteTree(boolean exists, Map<String, String> hashes, Set<String> executables, Set<String> dirs,
    Map<String, String> links) {
  private static final String EXECUTABLES = "--executables--";
  private static final String DIRS = "--dirs--";
  private static final String LINKS = "--links--";

  /** $1 is the directory; sections are NUL-separated records, each section after its marker. */
  private static final String SCRIPT = "if [ -d \"$1\" ]; then cd \"$1\""
      + " && find . -type f -print0 | xargs -0 -r sha256sum -z"
      + " && printf '%s\\0' " + EXECUTABLES + " && find . -type f -perm -u+x -print0"
      + " && printf '%s\\0' " + DIRS + " && find . -mindepth 1 -type d -print0"
      + " && printf '%s\\0' " + LINKS + " && find . -type l -printf '%p\\0%l\\0';"
      + " elif [ -e \"$1\" ]; then echo 'not a directory' >&2; exit 3; else echo --missing--; fi";

  static RemoteTree read(Remote remote, String dest) {
    CommandResult result = remote.run(Command.script(SCRIPT, dest));
    if (!result.ok()) {
      throw new RemoteException("cannot read " + dest + ": " + result.errorSummary());
    }
    if (result.stdout().startsWith("--missing--")) {
      return new RemoteTree(false, Map.of(), Set.of(), Set.of(), Map.of());
    }
    Map<String, String> hashes = new TreeMap<>();
    Set<String> executables = new HashSet<>();
    Set<String> dirs = new TreeSet<>();
    Map<String, String> links = new TreeMap<>();
    String section = "hashes";
    String[] records = result.stdout().split("\0", -1);
    for (int i = 0; i < records.length; i++) {
      String record = records[i];
      if (record.isEmpty()) {
        continue;
      }
      if (record.equals(EXECUTABLES) || record.equals(DIRS) || record.equals(LINKS)) {
        section = record;
      } else if (section.equals("hashes")) {
        // "<64 hex>  ./path": with -z, names are not escaped.
        if (record.length() > 66) {
          hashes.put(strip(record.substring(66)), record.substring(0, 64));
        }
      } else if (section.equals(EXECUTABLES)) {
        executables.add(strip(record));
      } else if (section.equals(DIRS)) {
        dirs.add(strip(record));
      } else if (i + 1 < records.length) {
        links.put(strip(record), records[++i]);
      }
    }
    return new RemoteTree(true, hashes, executables, dirs, links);
  }

  private static String strip(String path) {
    return path.startsWith("./") ? path.substring(2) : path;
  }
}
