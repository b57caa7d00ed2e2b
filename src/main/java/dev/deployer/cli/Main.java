package dev.deployer.cli;

import dev.deployer.persist.AgentClient;
import dev.deployer.report.Failures;
import dev.deployer.task.TaskTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import picocli.CommandLine;

/** Entry point of the deployer command. */
public final class Main {
  private Main() {}

  /** Runs the command line, through this user's persistent agent when it can (see {@link AgentClient}). */
  public static void main(String[] args) {
    OptionalInt ranByAgent = AgentClient.run(args, AgentMain.class.getName());
    System.exit(ranByAgent.isPresent() ? ranByAgent.getAsInt() : run(args));
  }

  /**
   * Runs the command line and returns the exit code; tests call this in-process. Every command
   * ends through one handler: a thrown error becomes its exit code and one "error:" line.
   */
  public static int run(String... args) {
    return commandLine(args).execute(args);
  }

  /** The whole command line, every subcommand in it. */
  public static CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /**
   * The command line for these arguments: when they start with a subcommand's name, only that
   * subcommand is built (the others are never needed); otherwise (help, a typo) all of them.
   */
  static CommandLine commandLine(String... args) {
    CommandLine cli = new CommandLine(new DeployerCommand());
    String first = args.length > 0 ? args[0] : "";
    boolean named = !first.equals("help") && DeployerCommand.SUBCOMMANDS.stream().anyMatch(c -> names(c).contains(first));
    for (Class<?> subcommand : DeployerCommand.SUBCOMMANDS) {
      if (!named || names(subcommand).contains(first)) {
        cli.addSubcommand(subcommand);
      }
    }
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // "-e @vars.yml" names a vars file, as in Ansible; picocli would read it as more arguments.
    cli.setExpandAtFiles(false);
    CommandLine play = cli.getSubcommands().get("play");
    if (play != null) {
      List<String> sections = new ArrayList<>(play.getHelpSectionKeys());
      sections.add(sections.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), "taskTypes");
      // The task types and their arguments, from their declarations: the help cannot miss one.
      play.getHelpSectionMap().put("taskTypes", help -> TaskTypes.builtin().helpSection());
      play.setHelpSectionKeys(sections);
    }
    // Help wraps at the terminal's width (picocli asks the terminal; without one, each command's width).
    cli.setUsageHelpAutoWidth(true);
    cli.setExecutionExceptionHandler((e, command, parsed) -> Failures.report(e, command.getErr(), verbose(parsed)));
    // A usage mistake exits 1, like a playbook mistake: nothing ran.
    cli.setParameterExceptionHandler((e, argv) -> {
      CommandLine cmd = e.getCommandLine();
      cmd.getErr().println("error: " + e.getMessage());
      cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more.");
      return 1;
    });
    return cli;
  }

  private static List<String> names(Class<?> subcommand) {
    CommandLine.Command command = subcommand.getAnnotation(CommandLine.Command.class);
    List<String> names = new ArrayList<>(List.of(command.aliases()));
    names.add(command.name());
    return names;
  }

  /** -v anywhere on the command line: an unexpected error then shows its stack trace. */
  private static boolean verbose(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult level = parsed; level != null; level = level.subcommand()) {
      if (level.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
