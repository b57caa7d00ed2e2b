package dev.deployer.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Keeps everything written to it, and hands each complete line to a listener as it comes. */
final class LineTee extends OutputStream {
  private final ByteArrayOutputStream all = new ByteArrayOutputStream();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final LineListener listener;

  LineTee(LineListener listener) {
    this.listener = listener;
  }

  @Override
  public synchronized void write(int b) {
    all.write(b);
    if (listener == null) {
      return;
    }
    if (b == '\n') {
      listener.line(line.toString(StandardCharsets.UTF_8));
      line.reset();
    } else {
      line.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int off, int len) {
    for (int i = off; i < off + len; i++) {
      write(bytes[i]);
    }
  }

  /** Hands over a last line that had no newline. */
  @Override
  public synchronized void close() {
    if (listener != null && line.size() > 0) {
      listener.line(line.toString(StandardCharsets.UTF_8));
      line.reset();
    }
  }

  synchronized String text() {
    return all.toString(StandardCharsets.UTF_8);
  }
}
