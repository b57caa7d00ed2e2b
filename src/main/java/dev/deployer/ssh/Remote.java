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

  /** Copies a local file to the host, replacing what is there, with the given permission bits. */
  void upload(Path local, String remotePath, int mode);

  /**
   * Stops the command running now, if any, as Ctrl-C would (SIGINT, then SIGTERM if it lingers);
   * the connection stays usable. Returns once the command has ended or been given up on.
   */
  default void interrupt() {}

  /** Interrupts every one of them at once (each may wait a moment for its command to end), and returns when all have. */
  static void interruptAll(java.util.Collection<? extends Remote> remotes) {
    java.util.List<Thread> threads = new java.util.ArrayList<>();
    for (Remote remote : remotes) {
      Thread thread = new Thread(remote::interrupt, "deployer-interrupt");
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  void close();
}
