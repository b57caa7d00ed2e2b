package dev.deployer.ssh;

import java.nio.file.Path;

/** A connection to one host: run commands, copy files. Tasks see hosts only through this. */
public interface Remote extends AutoCloseable {

  /** Runs a command line (already quoted) and returns its result, whatever its exit code. */
  CommandResult run(String commandLine);

  /** Copies a local file to the host, replacing what is there, with the given permission bits. */
  void upload(Path local, String remotePath, int mode);

  @Override
  void close();
}
