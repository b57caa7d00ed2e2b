package dev.deployer.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A file of {@code ROLE:name:hash} lines (users, tokens): one line per name, replaced whole, the
 * file rewritten through a temporary file (so a crash leaves the old one) readable by its owner only.
 */
final class SecretFile {
  private SecretFile() {}

  /**
   * The file's users (comments and blank lines skipped), each line checked: a role, a name, and a
   * secret matching {@code secret}; a line that is not names its file and line and {@code expected}.
   */
  static List<Users.User> read(Path file, java.util.regex.Pattern secret, String expected) throws IOException {
    List<Users.User> users = new ArrayList<>();
    if (!Files.exists(file)) {
      return users;
    }
    int number = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      number++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(":", 3);
      if (parts.length != 3 || !secret.matcher(parts[2]).matches()) {
        throw new IOException(file + ":" + number + ": expected " + expected);
      }
      try {
        users.add(new Users.User(parts[1], Users.Role.valueOf(parts[0]), parts[2]));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ":" + number + ": role must be ADMIN or USER, not '" + parts[0] + "'");
      }
    }
    return users;
  }

  static void putLine(Path file, String name, String line) throws IOException {
    List<String> lines = new ArrayList<>();
    if (Files.exists(file)) {
      for (String existing : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] parts = existing.split(":", 3);
        if (!(parts.length == 3 && parts[1].equals(name))) {
          lines.add(existing);
        }
      }
    }
    if (line != null) {
      lines.add(line);
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.write(temp, lines, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Removes a name's line; false when there was none. */
  static boolean removeLine(Path file, String name) throws IOException {
    if (!Files.exists(file)) {
      return false;
    }
    boolean found = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .map(line -> line.split(":", 3)).anyMatch(parts -> parts.length == 3 && parts[1].equals(name));
    if (found) {
      putLine(file, name, null);
    }
    return found;
  }
}
