package dev.deployer.shell;

import java.util.concurrent.Callable;

/** A command of the shell: picocli reads its words; {@link #call} does it and returns an exit code. */
abstract class ConsoleCommand implements Callable<Integer> {
  final ShellSession session;

  @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show how to use it.")
  boolean help;

  ConsoleCommand(ShellSession session) {
    this.session = session;
  }
}
