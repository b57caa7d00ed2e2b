package dev.deployer.shell;

import dev.deployer.task.TaskType;
import dev.deployer.task.TaskTypes;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: command names; host and group names in patterns; task types and their argument
 * names; services (from the services file and the deploy labels on the hosts); playbook paths;
 * unit commands with their variants.
 */
final class ShellCompleter implements Completer {
  /** Where the names come from; the shell's session, or fixed lists in tests. */
  interface Names {
    Collection<String> commands();

    /** Host names, then group names. */
    Collection<String> hostsAndGroups();

    /** Host names only. */
    Collection<String> hosts();

    /** Services deployed on the hosts in use, and those of the services file. */
    Collection<String> services();

    /** UNIT/COMMAND of every unit, and UNIT/COMMAND:VARIANT where its orders name variants. */
    Collection<String> unitCommands();
  }

  private static final Set<String> SERVICE_COMMANDS = Set.of("deploy", "rollback", "logs", "history", "health");
  private static final String PATTERN_SEPARATORS = ",:!&";

  private final Names names;
  private final TaskTypes types;
  private final Supplier<Path> workingDir;

  ShellCompleter(Names names, TaskTypes types, Supplier<Path> workingDir) {
    this.names = names;
    this.types = types;
    this.workingDir = workingDir;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    candidates.addAll(candidates(line.words().subList(0, Math.min(line.wordIndex() + 1, line.words().size())),
        line.word().substring(0, Math.min(line.wordCursor(), line.word().length()))));
  }

  /**
   * The candidates for the word being typed.
   *
   * @param words the line's words up to and including the one being typed
   * @param current that word up to the cursor
   */
  List<Candidate> candidates(List<String> words, String current) {
    // Only the command after the last ';' matters.
    int start = 0;
    for (int i = 0; i < words.size() - 1; i++) {
      if (words.get(i).endsWith(";")) {
        start = i + 1;
      }
    }
    List<String> command = words.subList(start, words.size());
    int index = command.size() - 1;
    if (index <= 0) {
      return plain(names.commands(), "command");
    }
    String name = command.get(0);
    if (current.startsWith("-")) {
      return List.of();
    }
    switch (name) {
      case "use", "hosts" -> {
        return index == 1 ? pattern(current) : List.of();
      }
      case "vars" -> {
        return index == 1 ? plain(names.hosts(), "host") : List.of();
      }
      case "help" -> {
        return index == 1 ? plain(names.commands(), "command") : List.of();
      }
      case "run", "check" -> {
        return index == 1 ? plain(types.names(), "task type") : argument(command.get(1), current);
      }
      case "play" -> {
        return index == 1 ? paths(current) : List.of();
      }
      case "unit" -> {
        List<String> calls = new ArrayList<>(names.unitCommands());
        if (index == 1) {
          calls.addAll(0, List.of("list", "print"));
          return plain(calls, "unit command");
        }
        return index == 2 && command.get(1).equals("print") ? plain(calls, "unit command") : List.of();
      }
      default -> {
        if (SERVICE_COMMANDS.contains(name) && (index == 1 || name.equals("health"))) {
          return plain(names.services(), "service");
        }
        return List.of();
      }
    }
  }

  private static List<Candidate> plain(Collection<String> values, String group) {
    List<Candidate> candidates = new ArrayList<>();
    for (String value : values) {
      candidates.add(new Candidate(value, value, group, null, null, null, true));
    }
    return candidates;
  }

  /** A host pattern completes its last term: "web:!h" offers "web:!h1", "web:!h2". */
  private List<Candidate> pattern(String current) {
    int cut = -1;
    for (int i = 0; i < current.length(); i++) {
      if (PATTERN_SEPARATORS.indexOf(current.charAt(i)) >= 0) {
        cut = i;
      }
    }
    String prefix = current.substring(0, cut + 1);
    List<Candidate> candidates = new ArrayList<>();
    for (String name : names.hostsAndGroups()) {
      candidates.add(new Candidate(prefix + name, name, "host or group", null, null, null, true));
    }
    return candidates;
  }

  /** A task's argument names as "name=", left open for the value. */
  private List<Candidate> argument(String typeName, String current) {
    TaskType type = types.find(typeName).orElse(null);
    if (type == null || current.contains("=")) {
      return List.of();
    }
    List<Candidate> candidates = new ArrayList<>();
    type.arguments().forEach((name, kind) -> candidates.add(new Candidate(
        name + "=", name, typeName + " argument", kind.name().toLowerCase().replace('_', ' '), null, null, false)));
    return candidates;
  }

  /** Directories (to descend into) and YAML files under the working directory. */
  private List<Candidate> paths(String current) {
    int slash = current.lastIndexOf('/');
    String dirPart = current.substring(0, slash + 1);
    Path dir = dirPart.isEmpty() ? workingDir.get() : workingDir.get().resolve(dirPart);
    List<Candidate> candidates = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return candidates;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".") && !current.substring(slash + 1).startsWith(".")) {
          continue;
        }
        if (Files.isDirectory(entry)) {
          candidates.add(new Candidate(dirPart + name + "/", name + "/", "directory", null, null, null, false));
        } else if (name.endsWith(".yml") || name.endsWith(".yaml")) {
          candidates.add(new Candidate(dirPart + name, name, "playbook", null, null, null, true));
        }
      }
    } catch (IOException e) {
      return candidates;
    }
    candidates.sort(java.util.Comparator.comparing(Candidate::value));
    return candidates;
  }
}
