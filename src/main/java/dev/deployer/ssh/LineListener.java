package dev.deployer.ssh;

/** Hears a remote command's output a line at a time, as it arrives (for -v). */
@FunctionalInterface
public interface LineListener {
  void line(String line);
}
