package dev.deployer.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartTest {
  private static final String BOUNDARY = "----deployer1234";

  private static byte[] form(byte[] file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(("preamble\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"project\"\r\n\r\nhello\r\n--"
        + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"app.tar\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(file);
    out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  @Test
  void readsFieldsAndFilesAcrossBufferBoundaries() throws IOException {
    byte[] file = new byte[300_000];
    new Random(7).nextBytes(file);
    // A near-delimiter inside the file must not end it.
    System.arraycopy(("\r\n--" + BOUNDARY.substring(0, 10)).getBytes(StandardCharsets.ISO_8859_1), 0, file, 65_530, 14);
    Multipart form = new Multipart(new SlowStream(form(file)), BOUNDARY, 10_000_000);
    Multipart.Part project = form.next();
    assertEquals("project", project.name());
    assertNull(project.filename());
    assertEquals("hello", new String(project.body().readAllBytes(), StandardCharsets.UTF_8));
    Multipart.Part image = form.next();
    assertEquals("image", image.name());
    assertEquals("app.tar", image.filename());
    assertArrayEquals(file, image.body().readAllBytes());
    assertNull(form.next());
  }

  @Test
  void stopsPastTheLimit() {
    assertThrows(Multipart.TooLarge.class, () -> {
      Multipart form = new Multipart(new ByteArrayInputStream(form(new byte[200_000])), BOUNDARY, 100_000);
      for (Multipart.Part part = form.next(); part != null; part = form.next()) {
        part.body().readAllBytes();
      }
    });
  }

  @Test
  void boundaryFromContentType() {
    assertEquals("abc", Multipart.boundary("multipart/form-data; boundary=abc"));
    assertEquals("a b", Multipart.boundary("multipart/form-data; boundary=\"a b\""));
    assertNull(Multipart.boundary("application/json"));
  }

  /** Hands out a few bytes at a time, as a network does. */
  private static final class SlowStream extends InputStream {
    private final ByteArrayInputStream in;
    private final Random random = new Random(1);

    SlowStream(byte[] bytes) {
      in = new ByteArrayInputStream(bytes);
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return in.read(b, off, Math.min(len, 1 + random.nextInt(9000)));
    }
  }
}
