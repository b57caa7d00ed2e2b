package dev.deployer.run;

import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.Remote;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in host for planning tests: answers commands from a script and records them. It
 * proves nothing about deploying; the *IT tests do that against real hosts.
 */
final class FakeRemote implements Remote {
  final String host;
  /** What ran: a user's command line as the shell reads it, any other command as its line. */
  final List<String> commands = new CopyOnWriteArrayList<>();
  private final Function<String, CommandResult> answers;

  FakeRemote(String host, Function<String, CommandResult> answers) {
    this.host = host;
    this.answers = answers;
  }

  static CommandResult exit(String command, int code, String stdout) {
    return new CommandResult(command, code, stdout, code == 0 ? "" : "boom", 1);
  }

  @Override
  public CommandResult run(Command command, dev.deployer.ssh.LineListener listener) {
    String text = command instanceof Command.UserLine line ? line.text() : command.line();
    commands.add(text);
    return answers.apply(text);
  }

  @Override
  public void upload(Path local, String remotePath, int mode) {
    commands.add("upload " + remotePath);
  }

  @Override
  public void close() {}
}
