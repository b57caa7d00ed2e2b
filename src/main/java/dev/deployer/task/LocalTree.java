package dev.deployer.task;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The files, directories and symbolic links under a local directory, with each file's size,
 * modification time (whole seconds) and executable bit: what sync_dir compares against the host.
 * A file's SHA-256 is read only when asked for. Nothing is read through a link by
 * accident: a link whose target stays inside the directory is kept as a link, and one that leads
 * out of it is listed in {@code outside} (unless links are followed on purpose).
 *
 * @param links each link's name to its target as written
 * @param outside "name -> target" of each link that leads out of the directory
 */
record LocalTree(Map<String, FileEntry> files, Set<String> dirs, Map<String, String> links, List<String> outside) {

  /** A file; its SHA-256 is read when first asked for, then kept (the hosts of one run share the tree). */
  static final class FileEntry {
    private final Path path;
    private final long size;
    private final long mtime;
    private final boolean executable;
    private String sha256;

    FileEntry(Path path, long size, long mtime, boolean executable) {
      this.path = path;
      this.size = size;
      this.mtime = mtime;
      this.executable = executable;
    }

    Path path() {
      return path;
    }

    long size() {
      return size;
    }

    /** Seconds since 1970, as tar keeps it. */
    long mtime() {
      return mtime;
    }

    boolean executable() {
      return executable;
    }

    synchronized String sha256() {
      if (sha256 == null) {
        try {
          sha256 = LocalTree.sha256(path);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
      }
      return sha256;
    }
  }

  /** @param followLinks read what links point to, as if they were the files and directories themselves */
  static LocalTree scan(Path root, List<String> excludes, boolean followLinks) {
    List<PathMatcher> matchers = excludes.stream()
        .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob))
        .toList();
    Map<String, FileEntry> files = new TreeMap<>();
    Set<String> dirs = new TreeSet<>();
    Map<String, String> links = new TreeMap<>();
    List<String> outside = new ArrayList<>();
    Set<FileVisitOption> options = followLinks ? Set.of(FileVisitOption.FOLLOW_LINKS) : Set.of();
    // One walk with the attributes the walk itself read (one lstat per entry), and an excluded
    // directory is not entered at all: a tree of thousands of files is read in a few tens of ms.
    FileVisitor<Path> visitor = new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
        if (dir.equals(root)) {
          return FileVisitResult.CONTINUE;
        }
        Path relative = root.relativize(dir);
        if (excluded(relative, matchers)) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        dirs.add(relative.toString());
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path path, BasicFileAttributes attributes) throws IOException {
        Path relative = root.relativize(path);
        if (excluded(relative, matchers)) {
          return FileVisitResult.CONTINUE;
        }
        String name = relative.toString();
        if (attributes.isSymbolicLink()) {
          Path target = Files.readSymbolicLink(path);
          if (path.getParent().resolve(target).normalize().startsWith(root)) {
            links.put(name, target.toString());
          } else {
            outside.add(name + " -> " + target);
          }
        } else if (attributes.isRegularFile()) {
          files.put(name, new FileEntry(path, attributes.size(), attributes.lastModifiedTime().to(TimeUnit.SECONDS),
              executable(path, attributes)));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path path, IOException e) throws IOException {
        throw e;
      }
    };
    try {
      Files.walkFileTree(root, options, Integer.MAX_VALUE, visitor);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + root + ": " + e.getMessage(), e);
    }
    return new LocalTree(files, dirs, links, outside);
  }

  /** The owner's execute bit, from the attributes the walk read when they carry it (they do on Linux). */
  private static boolean executable(Path path, BasicFileAttributes attributes) throws IOException {
    PosixFileAttributes posix = attributes instanceof PosixFileAttributes read ? read
        : Files.readAttributes(path, PosixFileAttributes.class);
    return posix.permissions().contains(PosixFilePermission.OWNER_EXECUTE);
  }

  private static boolean excluded(Path relative, List<PathMatcher> matchers) {
    for (PathMatcher matcher : matchers) {
      // A pattern excludes a path when it matches the path or any directory above it.
      for (Path p = relative; p != null; p = p.getParent()) {
        if (matcher.matches(p) || matcher.matches(p.getFileName())) {
          return true;
        }
      }
    }
    return false;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      int read;
      while ((read = in.read(buffer)) > 0) {
        digest.update(buffer, 0, read);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
