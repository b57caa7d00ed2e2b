package dev.deployer.server;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * An uploaded package (a tar.gz build context), unpacked entry by entry: only directories and
 * regular files, each inside the target. A link, a device, an absolute path or a {@code ..}
 * refuses the whole package, so nothing from the server's own disk can ride along to the hosts.
 */
final class PackageArchive {
  private PackageArchive() {}

  /** Unpacks {@code archive} into {@code dir} (which must not exist yet); at most {@code maxBytes} unpacked. */
  static void unpack(Path archive, Path dir, long maxBytes) throws Refusal, IOException {
    Files.createDirectories(dir);
    Path root = dir.toRealPath();
    long total = 0;
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        Path target = inside(root, entry.getName());
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (isPlainFile(entry)) {
          total += entry.getSize();
          if (total > maxBytes) {
            throw new Refusal(400, "the package unpacks to more than " + maxBytes + " bytes");
          }
          Files.createDirectories(target.getParent());
          try (OutputStream out = Files.newOutputStream(target)) {
            tar.transferTo(out);
          }
          if ((entry.getMode() & 0100) != 0) {
            Set<PosixFilePermission> mode = EnumSet.copyOf(Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS));
            mode.add(PosixFilePermission.OWNER_EXECUTE);
            mode.add(PosixFilePermission.GROUP_EXECUTE);
            mode.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(target, mode);
          }
        } else {
          throw new Refusal(400, "the package holds " + kind(entry) + " " + IncomingImage.shown(entry.getName())
              + "; a package holds only files and directories");
        }
      }
    } catch (IOException e) {
      throw new Refusal(400, "the package is not a readable tar.gz: " + e.getMessage());
    }
  }

  /** Where an entry lands; refused unless that is inside the root, by name alone. */
  private static Path inside(Path root, String name) throws Refusal {
    if (name.startsWith("/") || name.contains("\\") || name.contains("\0")) {
      throw new Refusal(400, "the package has an absolute or odd path: " + IncomingImage.shown(name));
    }
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        throw new Refusal(400, "the package has a path with '..': " + IncomingImage.shown(name));
      }
    }
    Path target = root.resolve(name).normalize();
    if (!target.startsWith(root)) {
      throw new Refusal(400, "the package has a path outside itself: " + IncomingImage.shown(name));
    }
    // A parent that is not a plain directory can only be a file here (no links are ever made).
    for (Path parent = target.getParent(); parent != null && !parent.equals(root); parent = parent.getParent()) {
      if (Files.exists(parent, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
        throw new Refusal(400, "the package has a path under a file: " + IncomingImage.shown(name));
      }
    }
    return target;
  }

  /** Only these kinds are files; commons-compress calls most non-directories "files". */
  private static boolean isPlainFile(TarArchiveEntry entry) {
    byte flag = entry.getLinkFlag();
    return flag == TarArchiveEntry.LF_NORMAL || flag == TarArchiveEntry.LF_OLDNORM || flag == TarArchiveEntry.LF_CONTIG;
  }

  private static String kind(TarArchiveEntry entry) {
    if (entry.isSymbolicLink()) {
      return "a symbolic link";
    }
    if (entry.isLink()) {
      return "a hard link";
    }
    if (entry.isCharacterDevice() || entry.isBlockDevice()) {
      return "a device";
    }
    if (entry.isFIFO()) {
      return "a named pipe";
    }
    return "an entry of an unsupported kind";
  }
}
