package dev.deployer.shell;

import dev.deployer.report.Failures;
import dev.deployer.task.TaskTypes;
import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Suggestions;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The shell's commands, by name, and how one typed command is carried out: picocli reads its
 * words; a mistake is one "error:" line (and a pointer to help), never a stack trace.
 */
final class ShellCommands {
  /** What exit codes mean, as for {@code deployer play}. */
  static final int USAGE = 1;

  /** In the order help lists them. */
  private static final List<Class<? extends ConsoleCommand>> COMMANDS = List.of(
      TargetCommands.Hosts.class, TargetCommands.Use.class, TaskCommands.Run.class, TaskCommands.Check.class,
      TaskCommands.Play.class, TaskCommands.Deploy.class, TaskCommands.Rollback.class, TaskCommands.Health.class,
      ContainerCommands.Ps.class, ContainerCommands.Logs.class, UnitShellCommand.class, TargetCommands.Vars.class,
      TaskCommands.History.class,
      ShellCommands.Help.class, ShellCommands.Exit.class);

  private final ShellSession session;
  /** Each command is a top-level picocli command of its own, so its usage reads "ps [-h]". */
  private final Map<String, CommandLine> commands = new LinkedHashMap<>();

  ShellCommands(ShellSession session) {
    this.session = session;
    SessionFactory factory = new SessionFactory(session, commands);
    for (Class<? extends ConsoleCommand> type : COMMANDS) {
      CommandLine command = new CommandLine(type, factory);
      command.setOut(session.out());
      command.setErr(session.err());
      command.setUsageHelpWidth(100);
      commands.put(command.getCommandName(), command);
    }
    // A unit command's params are options only its unit knows.
    commands.get("unit").setUnmatchedOptionsArePositionalParams(true);
    for (String adHoc : List.of("run", "check")) {
      CommandLine command = commands.get(adHoc);
      // Free-form words ("run command docker ps -a") may look like options.
      command.setUnmatchedOptionsArePositionalParams(true);
      List<String> sections = new java.util.ArrayList<>(command.getHelpSectionKeys());
      sections.add("taskTypes");
      command.getHelpSectionMap().put("taskTypes", help -> TaskTypes.builtin().helpSection());
      command.setHelpSectionKeys(sections);
    }
  }

  /** The command names, in the order help lists them: what Tab offers first. */
  static List<String> names() {
    return COMMANDS.stream().map(type -> type.getAnnotation(Command.class).name()).toList();
  }

  /** Carries out one command (its words) and returns its exit code. */
  int execute(List<String> words) {
    PrintWriter err = session.err();
    String name = words.get(0);
    CommandLine command = commands.get(name);
    if (command == null) {
      err.println("error: no command '" + name + "'" + Suggestions.didYouMean(name, commands.keySet()) + " (help lists them)");
      err.flush();
      return USAGE;
    }
    try {
      CommandLine.ParseResult parsed = command.parseArgs(words.subList(1, words.size()).toArray(String[]::new));
      if (parsed.isUsageHelpRequested()) {
        command.usage(session.out());
        return 0;
      }
      Integer code = ((ConsoleCommand) command.getCommand()).call();
      return code == null ? 0 : code;
    } catch (CommandLine.ParameterException e) {
      err.println("error: " + e.getMessage() + " (help " + name + " shows its usage)");
      return USAGE;
    } catch (Exception e) {
      return Failures.report(e, err, session.settings().verbose());
    } finally {
      session.out().flush();
      err.flush();
    }
  }

  /** Usage of one command, or a line per command. */
  static void help(Map<String, CommandLine> commands, String name, PrintWriter out) {
    if (name != null) {
      CommandLine command = commands.get(name);
      if (command == null) {
        throw new ConfigException(null, "no command '" + name + "'" + Suggestions.didYouMean(name, commands.keySet()));
      }
      command.usage(out);
      return;
    }
    out.println("Commands (help COMMAND for one; Tab completes; Ctrl-C stops a command; Ctrl-D leaves):");
    for (Map.Entry<String, CommandLine> entry : commands.entrySet()) {
      CommandLine.Model.CommandSpec spec = entry.getValue().getCommandSpec();
      out.printf("  %-9s %s%n", entry.getKey(), firstSentence(String.join(" ", spec.usageMessage().description())));
    }
  }

  private static String firstSentence(String text) {
    int end = text.indexOf(". ");
    return end < 0 ? text : text.substring(0, end + 1);
  }

  @Command(name = "help", description = "Lists the commands, or shows how to use one.")
  static final class Help extends ConsoleCommand {
    @Parameters(arity = "0..1", paramLabel = "COMMAND")
    String command;

    private final Map<String, CommandLine> commands;

    Help(ShellSession session, Map<String, CommandLine> commands) {
      super(session);
      this.commands = commands;
    }

    @Override
    public Integer call() {
      help(commands, command, session.out());
      return 0;
    }
  }

  @Command(name = "exit", description = "Leaves the shell (so does Ctrl-D); connections are closed.")
  static final class Exit extends ConsoleCommand {
    Exit(ShellSession session) {
      super(session);
    }

    @Override
    public Integer call() {
      session.requestExit();
      return 0;
    }
  }

  /** Makes each command with the session it works on (and help with the commands it describes). */
  private record SessionFactory(ShellSession session, Map<String, CommandLine> commands) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == Help.class) {
        return type.cast(new Help(session, commands));
      }
      if (ConsoleCommand.class.isAssignableFrom(type)) {
        return type.getDeclaredConstructor(ShellSession.class).newInstance(session);
      }
      return CommandLine.defaultFactory().create(type);
    }
  }
}
