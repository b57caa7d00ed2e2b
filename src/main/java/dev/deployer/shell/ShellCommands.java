package dev.deployer.shell;

import dev.deployer.ssh.RemoteException;
import dev.deployer.template.TemplateException;
import dev.deployer.yaml.ConfigException;
import dev.deployer.yaml.Suggestions;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  @Command(name = "", subcommands = {
      TargetCommands.Hosts.class, TargetCommands.Use.class, TaskCommands.Run.class, TaskCommands.Check.class,
      TaskCommands.Play.class, TaskCommands.Deploy.class, TaskCommands.Rollback.class, TaskCommands.Health.class,
      ContainerCommands.Ps.class, ContainerCommands.Logs.class, TargetCommands.Vars.class, TaskCommands.History.class,
      ShellCommands.Help.class, ShellCommands.Exit.class})
  static final class Root {}

  private final ShellSession session;
  private final CommandLine root;

  ShellCommands(ShellSession session) {
    this.session = session;
    this.root = new CommandLine(new Root(), new SessionFactory(session));
    root.setOut(session.out());
    root.setErr(session.err());
    root.setUsageHelpWidth(100);
    // run's free-form words ("run command docker ps -a") may look like options.
    root.getSubcommands().get("run").setUnmatchedOptionsArePositionalParams(true);
    root.getSubcommands().get("check").setUnmatchedOptionsArePositionalParams(true);
  }

  /** The command names, in the order help lists them. */
  Set<String> names() {
    return root.getSubcommands().keySet();
  }

  /** Carries out one command (its words) and returns its exit code. */
  int execute(List<String> words) {
    PrintWriter err = session.err();
    String name = words.get(0);
    CommandLine command = root.getSubcommands().get(name);
    if (command == null) {
      err.println("error: no command '" + name + "'" + Suggestions.didYouMean(name, names()) + " (help lists them)");
      err.flush();
      return USAGE;
    }
    try {
      // Parsed from the root: picocli keeps a subcommand's parse state in its parent's.
      CommandLine.ParseResult parsed = root.parseArgs(words.toArray(String[]::new)).subcommand();
      if (parsed.isUsageHelpRequested()) {
        command.usage(session.out());
        return 0;
      }
      Integer code = ((ConsoleCommand) command.getCommand()).call();
      return code == null ? 0 : code;
    } catch (CommandLine.ParameterException e) {
      err.println("error: " + e.getMessage() + " (help " + name + " shows its usage)");
      return USAGE;
    } catch (ConfigException | ShellSyntax.SyntaxException | TemplateException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return USAGE;
    } catch (RemoteException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("error: " + e);
      return USAGE;
    } finally {
      session.out().flush();
      err.flush();
    }
  }

  /** Usage of one command, or a line per command. */
  static void help(CommandLine root, String name, PrintWriter out) {
    if (name != null) {
      CommandLine command = root.getSubcommands().get(name);
      if (command == null) {
        throw new ConfigException(null, "no command '" + name + "'" + Suggestions.didYouMean(name, root.getSubcommands().keySet()));
      }
      command.usage(out);
      return;
    }
    out.println("Commands (help COMMAND for one; Tab completes; Ctrl-C stops a command; Ctrl-D leaves):");
    for (Map.Entry<String, CommandLine> entry : root.getSubcommands().entrySet()) {
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

    @picocli.CommandLine.Spec CommandLine.Model.CommandSpec spec;

    Help(ShellSession session) {
      super(session);
    }

    @Override
    public Integer call() {
      help(spec.root().commandLine(), command, session.out());
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

  /** Makes each command with the session it works on. */
  private record SessionFactory(ShellSession session) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (ConsoleCommand.class.isAssignableFrom(type)) {
        return type.getDeclaredConstructor(ShellSession.class).newInstance(session);
      }
      return CommandLine.defaultFactory().create(type);
    }
  }
}
