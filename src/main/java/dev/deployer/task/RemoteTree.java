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
 * The files under a directory on the host, with SHA-256 and executable bit, read with one
 * command (sha256sum and find, present on any Linux host).
 */
record RemoteTree(boolean exists, Map<String, String> hashes, Set<String> executables, Set<String> dirs) {
  private static final String DIRS = "--dirs--";
  private static final String EXECUTABLES = "--executables--";

  /** $1 is the directory. */
  private static final String SCRIPT = "if [ -d \"$1\" ]; then cd \"$1\""
      + " && find . -type f -exec sha256sum {} + && echo " + EXECUTABLES
      + " && find . -type f -perm -u+x && echo " + DIRS + " && find . -mindepth 1 -type d;"
      + " elif [ -e \"$1\" ]; then echo 'not a directory' >&2; exit 3; else echo --missing--; fi";

  static RemoteTree read(Remote remote, String dest) {
    CommandResult result = remote.run(Command.script(SCRIPT, dest));
    if (!result.ok()) {
      throw new RemoteException("cannot read " + dest + ": " + result.errorSummary());
    }
    if (result.stdout().startsWith("--missing--")) {
      return new RemoteTree(false, Map.of(), Set.of(), Set.of());
    }
    Map<String, String> hashes = new TreeMap<>();
    Set<String> executables = new HashSet<>();
    Set<String> dirs = new TreeSet<>();
    String section = "hashes";
    for (String line : result.stdout().split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.equals(EXECUTABLES) || line.equals(DIRS)) {
        section = line;
      } else if (section.equals("hashes")) {
        // "<64 hex>  ./path"; a leading backslash marks a name sha256sum had to escape.
        String entry = line.startsWith("\\") ? line.substring(1) : line;
        if (entry.length() > 66) {
          hashes.put(strip(entry.substring(66)), entry.substring(0, 64));
        }
      } else if (section.equals(EXECUTABLES)) {
        executables.add(strip(line));
      } else {
        dirs.add(strip(line));
      }
    }
    return new RemoteTree(true, hashes, executables, dirs);
  }

  private static String strip(String path) {
    return path.startsWith("./") ? path.substring(2) : path;
  }
}
