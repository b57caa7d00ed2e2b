package dev.deployer.ssh;

import java.nio.file.Path;

/** A connection to one host: run commands, copy files. Tasks see hosts only through this. */
public interface Remote extends AutoCloseable {

  /** Runs a command and returns its result, whatever its exit code. */
  default CommandResult run(Command command) {
    return run(command, null);
  }

  /** Runs a command, handing its output to {@code listener} line by line as it arrives. */
  CommandResult run(Command command, LineListener listener);

  /**
   * Runs a short command alongside whatever runs now, on a channel of its own (a lock's heartbeat
   * while a swap waits for health). Its output is not streamed.
   */
  default CommandResult runAside(Command command) {
    return run(command);
  }

  /**
   * Whether the connection still answers: asked of one kept from an earlier run before it is used
   * again, so a connection cut while idle is opened anew rather than failing the run.
   */
  default boolean answers() {
    return true;
  }

  /**
   * The process group on the host in which this connection's commands run, when they share one (the
   * long-lived shell's): a deploy lock records it, so a run that takes the lock over from a dead
   * holder can wait for the holder's last command to end.
   */
  default java.util.OptionalLong processGroup() {
    return java.util.OptionalLong.empty();
  }

  /**
   * This host as another user, through sudo (Ansible's become). Commands and copies go through
   * the returned remote; closing it leaves this one open.
   *
   * @param password sudo's password, or null for NOPASSWD
   */
  default Remote become(String user, String password) {
    throw new UnsupportedOperationException("become is not supported on " + getClass().getSimpleName());
  }

  /** What a command reads on its stdin, written as it is asked for (an archive of many files, a list of names). */
  @FunctionalInterface
  interface Input {
    void writeTo(java.io.OutputStream out) throws java.io.IOException;
  }

  /**
   * Runs a command with {@code input} on its stdin. This default stages the input in a file on the
   * host first (copied as {@link #upload} copies, so as the become user too); an SSH connection
   * streams it on the command's own channel instead.
   */
  default CommandResult runWithInput(Command command, Input input) {
    Path local = null;
    String staged = "/tmp/.deployer-input-" + java.util.UUID.randomUUID();
    try {
      local = java.nio.file.Files.createTempFile("deployer-input", ".tmp");
      try (java.io.OutputStream out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(local))) {
        input.writeTo(out);
      }
      upload(local, staged, 0600);
      try {
        return run(command.inputFrom(staged));
      } finally {
        try {
          run(Command.of("rm", "-f", "--", staged));
        } catch (RemoteException e) {
          // The connection is gone with the command: the host's /tmp keeps the file until it is cleaned.
        }
      }
    } catch (java.io.IOException e) {
      throw new RemoteException("cannot stage a command's input: " + e.getMessage(), e);
    } finally {
      if (local != null) {
        try {
          java.nio.file.Files.deleteIfExists(local);
        } catch (java.io.IOException e) {
          // A temporary file left behind; the run goes on.
        }
      }
    }
  }

  /** Copies a local file to the host, replacing what is there, with the given permission bits. */
  void upload(Path local, String remotePath, int mode);

  /** Copies a file on the host to a local path, replacing what is there. */
  default void download(String remotePath, Path local) {
    throw new UnsupportedOperationException("download is not supported on " + getClass().getSimpleName());
  }

  /**
   * Stops the command running now, if any, as Ctrl-C would (SIGINT, then SIGTERM if it lingers);
   * the connection stays usable. Returns once the command has ended or been given up on.
   */
  default void interrupt() {}

  @Override
  void close();
}
