package dev.deployer.playbook;

import dev.deployer.task.TaskTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The playbooks shipped in the jar (playbooks/builtin) that the deploy verbs and the shell run. */
public final class BuiltinPlaybooks {
  private BuiltinPlaybooks() {}

  /** Loads one by file name ("deploy.yml"); it is copied out first, as errors name a file and line. */
  public static Playbook load(String fileName) {
    String resource = "/dev/deployer/playbooks/" + fileName;
    try (InputStream in = BuiltinPlaybooks.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("built-in playbook " + resource + " is missing from the jar");
      }
      Path dir = Files.createTempDirectory("deployer-builtin");
      Path file = dir.resolve("builtin-" + fileName);
      Files.copy(in, file);
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return new PlaybookLoader(TaskTypes.builtin()).load(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
