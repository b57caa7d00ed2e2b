package dev.deployer.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads multipart/form-data as a stream, one part at a time, so an upload of gigabytes goes to
 * disk without being held in memory. Stops with {@link TooLarge} past the size limit.
 */
final class Multipart {
  static final class TooLarge extends IOException {
    TooLarge(long limit) {
      super("request body is larger than " + limit + " bytes");
    }
  }

  /** One part: its form field name, its file name (null for a plain field), and its bytes. */
  record Part(String name, String filename, InputStream body) {}

  private static final Pattern NAME = Pattern.compile("[; ]name=\"([^\"]*)\"");
  private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");

  private final InputStream in;
  private final byte[] delimiter;
  private final long limit;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int end;
  private long total;
  private boolean done;
  private boolean started;
  private PartStream current;

  Multipart(InputStream in, String boundary, long limit) {
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.limit = limit;
    // The first boundary has no CRLF before it; pretend it had, so every delimiter looks alike.
    buf[0] = '\r';
    buf[1] = '\n';
    end = 2;
  }

  static String boundary(String contentType) {
    if (contentType == null || !contentType.toLowerCase().startsWith("multipart/form-data")) {
      return null;
    }
    Matcher m = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType);
    return m.find() ? m.group(1) : null;
  }

  /** The next part, or null after the last one. Skips what is left of the previous part. */
  Part next() throws IOException {
    if (current != null) {
      current.transferTo(java.io.OutputStream.nullOutputStream());
      current = null;
    }
    if (done) {
      return null;
    }
    if (!started) {
      started = true;
      // Skip the preamble up to the first delimiter.
      PartStream preamble = new PartStream();
      preamble.transferTo(java.io.OutputStream.nullOutputStream());
      if (done) {
        return null;
      }
    }
    String headers = readHeaders();
    Matcher name = NAME.matcher(headers);
    Matcher file = FILENAME.matcher(headers);
    current = new PartStream();
    return new Part(name.find() ? name.group(1) : "", file.find() ? file.group(1) : null, current);
  }

  private String readHeaders() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      int b = readByte();
      if (b < 0) {
        throw new IOException("multipart body ended inside part headers");
      }
      out.write(b);
      int n = out.size();
      byte[] a = out.toByteArray();
      if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
        return out.toString(StandardCharsets.ISO_8859_1);
      }
      if (n > 16 * 1024) {
        throw new IOException("multipart part headers are too long");
      }
    }
  }

  private int readByte() throws IOException {
    if (pos == end && !fill()) {
      return -1;
    }
    return buf[pos++] & 0xff;
  }

  /** Moves unread bytes to the front and reads more; false at the end of the stream. */
  private boolean fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, end - pos);
      end -= pos;
      pos = 0;
    }
    int n = in.read(buf, end, buf.length - end);
    if (n <= 0) {
      return false;
    }
    total += n;
    if (total > limit) {
      throw new TooLarge(limit);
    }
    end += n;
    return true;
  }

  private int find() {
    outer:
    for (int i = pos; i <= end - delimiter.length; i++) {
      for (int j = 0; j < delimiter.length; j++) {
        if (buf[i + j] != delimiter[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A part's bytes: up to the next delimiter. */
  private final class PartStream extends InputStream {
    private boolean finished;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (finished) {
        return -1;
      }
      while (true) {
        int at = find();
        if (at == pos) {
          pos += delimiter.length;
          afterDelimiter();
          finished = true;
          return -1;
        }
        int safe = at >= 0 ? at : end - delimiter.length + 1;
        if (safe > pos) {
          int n = Math.min(len, safe - pos);
          System.arraycopy(buf, pos, b, off, n);
          pos += n;
          return n;
        }
        if (!fill()) {
          throw new IOException("multipart body ended before its closing boundary");
        }
      }
    }

    /** After a delimiter: "--" ends the body, CRLF starts another part. */
    private void afterDelimiter() throws IOException {
      int a = readByte();
      int b = readByte();
      if (a == '-' && b == '-') {
        done = true;
      } else if (a != '\r' || b != '\n') {
        throw new IOException("malformed multipart boundary");
      }
    }
  }
}
