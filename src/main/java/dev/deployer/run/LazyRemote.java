package dev.deployer.run;

import dev.deployer.ssh.Command;
import dev.deployer.ssh.CommandResult;
import dev.deployer.ssh.LineListener;
import dev.deployer.ssh.Remote;
import dev.deployer.ssh.RemoteException;
import dev.deployer.ssh.UnreachableException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * A task's connection to its host, taken at the task's first use of it rather than before the
 * task starts: the local work a task does first (sync_dir reading its tree) overlaps the SSH
 * handshake begun ahead ({@link HostRun#connectAhead}). A connection that cannot be made (or a
 * become that sudo refuses) is thrown as {@link NotConnected}, which no task's handling of a failed
 * command catches, so the host is reported unreachable (or the task failed) as before.
 */
final class LazyRemote implements Remote {
  /** The host could not be reached (or become another user) when the task first needed it. */
  static final class NotConnected extends RuntimeException {
    NotConnected(RemoteException cause) {
      super(cause.getMessage(), cause);
    }

    boolean unreachable() {
      return getCause() instanceof UnreachableException;
    }
  }

  private final Supplier<Remote> open;
  private Remote remote;

  LazyRemote(Supplier<Remote> open) {
    this.open = open;
  }

  private synchronized Remote remote() {
    if (remote == null) {
      try {
        remote = open.get();
      } catch (RemoteException e) {
        throw new NotConnected(e);
      }
    }
    return remote;
  }

  @Override
  public CommandResult run(Command command, LineListener listener) {
    return remote().run(command, listener);
  }

  @Override
  public CommandResult runAside(Command command) {
    return remote().runAside(command);
  }

  @Override
  public CommandResult runWithInput(Command command, Input input) {
    return remote().runWithInput(command, input);
  }

  @Override
  public OptionalLong processGroup() {
    return remote().processGroup();
  }

  @Override
  public Remote become(String user, String password) {
    return remote().become(user, password);
  }

  @Override
  public void upload(Path local, String remotePath, int mode) {
    remote().upload(local, remotePath, mode);
  }

  @Override
  public void download(String remotePath, Path local) {
    remote().download(remotePath, local);
  }

  @Override
  public void interrupt() {
    Remote opened;
    synchronized (this) {
      opened = remote;
    }
    if (opened != null) {
      opened.interrupt();
    }
  }

  @Override
  public void close() {
    // The connection belongs to the run, not to one task.
  }
}
