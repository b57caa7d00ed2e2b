package dev.deployer.ssh;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Keeps everything written to it, and hands each complete line to a listener as it comes. */
final class LineTee extends LineSplitter {
  private final ByteArrayOutputStream all = new ByteArrayOutputStream();
  private final LineListener listener;

  LineTee(LineListener listener) {
    this.listener = listener;
  }

  @Override
  public synchronized void write(int b) {
    all.write(b);
    super.write(b);
  }

  @Override
  void line(String line) {
    if (listener != null) {
      listener.line(line);
    }
  }

  synchronized String text() {
    return all.toString(StandardCharsets.UTF_8);
  }
}
