package dev.deployer.cli;

import picocli.CommandLine;

/** Entry point of the deployer command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code; tests call this in-process. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new DeployerCommand());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // A usage mistake exits 1, like a playbook mistake: nothing ran.
    cli.setExitCodeExceptionMapper(e -> 1);
    cli.setParameterExceptionHandler((e, argv) -> {
      CommandLine cmd = e.getCommandLine();
      cmd.getErr().println("error: " + e.getMessage());
      cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more.");
      return 1;
    });
    return cli;
  }
}
