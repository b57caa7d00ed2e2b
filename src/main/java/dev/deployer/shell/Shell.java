package dev.deployer.shell;

import dev.deployer.inventory.Inventory;
import dev.deployer.run.RemoteFactory;
import dev.deployer.task.TaskTypes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jline.reader.EndOfFileException;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * {@code deployer shell}: reads commands from a terminal (with completion, history and Ctrl-C),
 * from {@code -c}, or from standard input, and carries them out on one session.
 */
public final class Shell {
  /**
   * How the shell's runs go, from its command line.
   *
   * @param forks hosts worked on at once, 1 or more (the command line checks it)
   * @param extraVars -e variables, which win over all others in every run
   * @param servicesFile the services file deploy and health read; it may not exist
   */
  /** @param unitsDir where the unit command finds unit files */
  public record Settings(int forks, boolean verbose, boolean color, Map<String, Object> extraVars, boolean breakLock,
      Path servicesFile, Path unitsDir) {
    public Settings {
      extraVars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extraVars));
    }
  }

  private final Inventory inventory;
  private final String limit;
  private final Settings settings;
  private final RemoteFactory connector;

  /** @param limit the host pattern to start with, or null for all */
  public Shell(Inventory inventory, String limit, Settings settings, RemoteFactory connector) {
    this.inventory = inventory;
    this.limit = limit;
    this.settings = settings;
    this.connector = connector;
  }

  /** Runs the commands of a text (-c, or a script on stdin) as if typed; returns the last one's exit code. */
  public int runScript(BufferedReader input, PrintWriter out, PrintWriter err) throws IOException {
    try (ShellSession session = new ShellSession(inventory, limit, settings, connector, out, err)) {
      ShellCommands commands = new ShellCommands(session);
      List<String> typed = new ArrayList<>();
      session.typedLines(() -> typed);
      int code = 0;
      for (String line = input.readLine(); line != null && !session.exitRequested(); line = input.readLine()) {
        typed.add(line);
        code = runLine(line, session, commands, code);
      }
      return code;
    }
  }

  /** The interactive shell on the process's terminal; returns the last command's exit code. */
  public int interactive(Path historyFile) throws IOException {
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      PrintWriter out = terminal.writer();
      try (ShellSession session = new ShellSession(inventory, limit, settings, connector, out, out)) {
        ShellCommands commands = new ShellCommands(session);
        DefaultParser parser = new DefaultParser();
        parser.setEscapeChars(new char[] {'\\'});
        LineReader reader = LineReaderBuilder.builder()
            .appName("deployer")
            .terminal(terminal)
            .parser(parser)
            .completer(new ShellCompleter(names(session), TaskTypes.builtin(),
                () -> Path.of("").toAbsolutePath()))
            .variable(LineReader.HISTORY_FILE, historyFile)
            .variable(LineReader.HISTORY_SIZE, 5000)
            .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
            .build();
        History history = reader.getHistory();
        session.typedLines(() -> {
          List<String> lines = new ArrayList<>();
          history.forEach(entry -> lines.add(entry.line()));
          return lines;
        });
        // While a command runs the terminal is in its normal mode, so Ctrl-C is a signal, not a key.
        terminal.handle(Terminal.Signal.INT, signal -> {
          Thread stopper = new Thread(session::cancel, "deployer-cancel");
          stopper.setDaemon(true);
          stopper.start();
        });
        out.println("deployer shell: " + inventory.hosts().size() + " hosts in " + inventory.source()
            + ". help lists the commands; Tab completes; Ctrl-D leaves.");
        int code = 0;
        while (!session.exitRequested()) {
          String line;
          try {
            line = reader.readLine(session.prompt());
          } catch (UserInterruptException e) {
            continue;
          } catch (EndOfFileException e) {
            break;
          }
          code = runLine(line, session, commands, code);
        }
        history.save();
        return code;
      }
    }
  }

  private static int runLine(String line, ShellSession session, ShellCommands commands, int previous) {
    List<List<String>> parsed;
    try {
      parsed = ShellSyntax.commands(line);
    } catch (ShellSyntax.SyntaxException e) {
      session.err().println("error: " + e.getMessage());
      session.err().flush();
      return ShellCommands.USAGE;
    }
    int code = previous;
    session.newLine();
    for (List<String> words : parsed) {
      code = commands.execute(words);
      if (session.exitRequested() || session.lineCancelled()) {
        break;
      }
    }
    return code;
  }

  private static ShellCompleter.Names names(ShellSession session) {
    return new ShellCompleter.Names() {
      @Override
      public Collection<String> commands() {
        return ShellCommands.names();
      }

      @Override
      public Collection<String> hostsAndGroups() {
        List<String> all = new ArrayList<>(session.inventory().hosts().keySet());
        session.inventory().groups().keySet().stream().filter(g -> !all.contains(g)).forEach(all::add);
        return all;
      }

      @Override
      public Collection<String> hosts() {
        return session.inventory().hosts().keySet();
      }

      @Override
      public Collection<String> unitCommands() {
        try {
          return UnitShellCommand.calls(session.units());
        } catch (RuntimeException e) {
          return List.of(); // a broken unit file is for unit to report, not for Tab
        }
      }

      @Override
      public Collection<String> services() {
        TreeSet<String> all = new TreeSet<>(session.servicesOnHosts());
        try {
          if (session.hasServicesFile()) {
            all.addAll(session.services().names());
          }
        } catch (RuntimeException e) {
          // A broken services file is for deploy to report, not for Tab.
        }
        return all;
      }
    };
  }
}
