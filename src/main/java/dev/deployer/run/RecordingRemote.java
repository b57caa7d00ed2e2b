package dev.deployer.run;

import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.LineListener;
import dev.deployer.ssh.Remote;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Passes calls through and keeps what ran, for -v and the JSON report. */
final class RecordingRemote implements Remote {
  private final Remote delegate;
  private final List<CommandResult> commands = new ArrayList<>();
  private final LineListener listener;

  /** @param listener hears every command's output as it comes (for -v), or null */
  RecordingRemote(Remote delegate, LineListener listener) {
    this.delegate = delegate;
    this.listener = listener;
  }

  @Override
  public CommandResult run(Command command, LineListener ignored) {
    CommandResult result = delegate.run(command, listener);
    commands.add(result);
    return result;
  }

  @Override
  public CommandResult runWithInput(Command command, Input input) {
    CommandResult result = delegate.runWithInput(command, input);
    commands.add(result);
    return result;
  }

  @Override
  public java.util.OptionalLong processGroup() {
    return delegate.processGroup();
  }

  /** Not recorded: it runs beside the task (a heartbeat), not as one of its steps. */
  @Override
  public CommandResult runAside(Command command) {
    return delegate.runAside(command);
  }

  @Override
  public void download(String remotePath, Path local) {
    long started = System.nanoTime();
    delegate.download(remotePath, local);
    commands.add(new CommandResult("sftp get " + remotePath + " " + local, 0, "", "", (System.nanoTime() - started) / 1_000_000));
  }

  @Override
  public void upload(Path local, String remotePath, int mode) {
    long started = System.nanoTime();
    delegate.upload(local, remotePath, mode);
    commands.add(new CommandResult(
        "sftp put " + local + " " + remotePath + " (mode " + Integer.toOctalString(mode) + ")",
        0, "", "", (System.nanoTime() - started) / 1_000_000));
  }

  List<CommandResult> commands() {
    return List.copyOf(commands);
  }

  @Override
  public void close() {
    // The session belongs to the run, not to one task.
  }
}
