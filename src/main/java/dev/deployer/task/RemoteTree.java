package dev.deployer.task;

import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.Remote;
import dev.deployer.ssh.RemoteException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The files under a directory on the host, with size, modification time (whole seconds) and
 * executable bit, its directories and its symbolic links with their targets, read with one
 * {@code find}. Records are separated by NUL bytes, so any name is read back as it is: a
 * backslash, a star or a newline in it changes nothing. Hashes are read apart, only for the files
 * that need them ({@link #hashes}).
 */
record RemoteTree(boolean exists, Map<String, RemoteFile> files, Set<String> dirs, Map<String, String> links) {

  record RemoteFile(long size, long mtime, boolean executable) {}

  /** $1 is the directory; each entry is "TYPE SIZE MTIME MODE NAME\0", a link's target in a record after it. */
  private static final String LIST = "if [ -d \"$1\" ]; then cd \"$1\" && find . -mindepth 1"
      + " \\( -type f -printf 'f %s %T@ %m %P\\0' \\)"
      + " -o \\( -type d -printf 'd 0 0 %m %P\\0' \\)"
      + " -o \\( -type l -printf 'l 0 0 0 %P\\0%l\\0' \\);"
      + " elif [ -e \"$1\" ]; then echo 'not a directory' >&2; exit 3; else echo --missing--; fi";

  /** $1 is the directory; stdin holds NUL-separated names; prints "HASH  NAME\0" for each. */
  private static final String HASH = "cd \"$1\" && xargs -0 -r sha256sum -z --";

  static RemoteTree read(Remote remote, String dest) {
    CommandResult result = remote.run(Command.script(LIST, dest));
    if (!result.ok()) {
      throw new RemoteException("cannot read " + dest + ": " + result.errorSummary());
    }
    if (result.stdout().startsWith("--missing--")) {
      return new RemoteTree(false, Map.of(), Set.of(), Map.of());
    }
    Map<String, RemoteFile> files = new TreeMap<>();
    Set<String> dirs = new TreeSet<>();
    Map<String, String> links = new TreeMap<>();
    String[] records = result.stdout().split("\0", -1);
    for (int i = 0; i < records.length; i++) {
      String[] fields = records[i].split(" ", 5);
      if (fields.length < 5) {
        continue;
      }
      String name = fields[4];
      switch (fields[0]) {
        case "f" -> files.put(name, new RemoteFile(Long.parseLong(fields[1]), seconds(fields[2]),
            (Integer.parseInt(fields[3], 8) & 0100) != 0));
        case "d" -> dirs.add(name);
        case "l" -> links.put(name, i + 1 < records.length ? records[++i] : "");
        default -> { }
      }
    }
    return new RemoteTree(true, files, dirs, links);
  }

  /** The SHA-256 of each named file under {@code dest}, read with one command. */
  static Map<String, String> hashes(Remote remote, String dest, Collection<String> names) {
    if (names.isEmpty()) {
      return Map.of();
    }
    CommandResult result = remote.runWithInput(Command.script(HASH, dest), out -> {
      for (String name : names) {
        out.write(name.getBytes(StandardCharsets.UTF_8));
        out.write(0);
      }
    });
    if (!result.ok()) {
      throw new RemoteException("cannot hash files under " + dest + ": " + result.errorSummary());
    }
    Map<String, String> hashes = new TreeMap<>();
    for (String record : result.stdout().split("\0")) {
      // "<64 hex>  name": with -z, names are not escaped.
      if (record.length() > 66) {
        hashes.put(record.substring(66), record.substring(0, 64));
      }
    }
    return hashes;
  }

  /** find's "%T@" (seconds with a fraction) as whole seconds, as tar keeps them. */
  private static long seconds(String timestamp) {
    int dot = timestamp.indexOf('.');
    return Long.parseLong(dot < 0 ? timestamp : timestamp.substring(0, dot));
  }
}
