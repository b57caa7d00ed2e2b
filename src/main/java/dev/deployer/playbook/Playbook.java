package dev.deployer.playbook;

import java.nio.file.Path;
import java.util.List;

/** A playbook file: its plays, and its directory, against which local paths resolve. */
public record Playbook(Path file, Path dir, List<Play> plays) {
  public Playbook {
    plays = List.copyOf(plays);
  }
}
