package dev.deployer.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.Content;

/**
 * Reads a body into memory up to a limit, without holding a thread. Unlike Jetty's {@code
 * Content.Source.asByteArrayAsync(source, max)}, a body past the limit does not fail the source:
 * the rest can still be read and dropped, so the client gets its 413 on a connection that stays
 * open rather than one closed while it is still sending (a broken pipe on its side).
 */
final class BoundedBody {
  /** What came of it: the whole body, or too large (the rest unread), or a failed read. */
  record Outcome(byte[] content, boolean tooLarge, Throwable failure) {}

  interface Then {
    void accept(Outcome outcome);
  }

  private final Content.Source source;
  private final int limit;
  private final Then then;
  private final ByteArrayOutputStream read = new ByteArrayOutputStream();

  private BoundedBody(Content.Source source, int limit, Then then) {
    this.source = source;
    this.limit = limit;
    this.then = then;
  }

  static void read(Content.Source source, int limit, Then then) {
    new BoundedBody(source, limit, then).next();
  }

  private void next() {
    while (true) {
      Content.Chunk chunk = source.read();
      if (chunk == null) {
        source.demand(this::next);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        then.accept(new Outcome(null, false, chunk.getFailure()));
        return;
      }
      ByteBuffer bytes = chunk.getByteBuffer();
      boolean over = read.size() + bytes.remaining() > limit;
      if (!over) {
        byte[] part = new byte[bytes.remaining()];
        bytes.get(part);
        read.writeBytes(part);
      }
      boolean last = chunk.isLast();
      chunk.release();
      if (over) {
        then.accept(new Outcome(null, true, null));
        return;
      }
      if (last) {
        then.accept(new Outcome(read.toByteArray(), false, null));
        return;
      }
    }
  }
}
