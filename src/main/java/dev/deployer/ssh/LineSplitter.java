package dev.deployer.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A stream that JSch writes a command's output into, handed on a line at a time. */
abstract class LineSplitter extends OutputStream {
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

  /** A complete line, without its newline. */
  abstract void line(String line);

  /** The stream ended (after its last, unterminated line, if any). */
  void ended() {}

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      line(partial.toString(StandardCharsets.UTF_8));
      partial.reset();
    } else {
      partial.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int off, int len) {
    for (int i = off; i < off + len; i++) {
      write(bytes[i]);
    }
  }

  @Override
  public synchronized void close() {
    if (partial.size() > 0) {
      line(partial.toString(StandardCharsets.UTF_8));
      partial.reset();
    }
    ended();
  }
}
