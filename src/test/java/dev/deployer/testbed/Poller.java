package dev.deployer.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Asks a service for its page at a steady rate from the controller, as its users would, each
 * request on a new connection, and keeps every answer: what a zero-downtime claim is checked on.
 * Slow requests can be started beside it.
 */
public final class Poller implements AutoCloseable {
  /** One request: when it started and ended (ms since the poller started), its status and body (or the error). */
  public record Answer(long startMs, long endMs, int status, String body) {
    public boolean ok() {
      return status == 200;
    }
  }

  private final String address;
  private final int port;
  private final String host;
  private final long periodMs;
  private final long t0 = System.nanoTime();
  private final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
  private final List<Answer> slow = Collections.synchronizedList(new ArrayList<>());
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private volatile boolean running = true;

  /** @param host the Host header, or null for the address itself */
  public Poller(String address, int port, String host, int perSecond) {
    this.address = address;
    this.port = port;
    this.host = host;
    this.periodMs = 1000 / perSecond;
    threads.submit(this::poll);
  }

  private void poll() {
    long next = System.nanoTime();
    while (running) {
      answers.add(get("/"));
      next += periodMs * 1_000_000;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Starts a request for {@code path} on its own thread; its answer joins {@link #slowAnswers()}. */
  public void startSlow(String path) {
    threads.submit(() -> slow.add(get(path)));
  }

  public long nowMs() {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  public List<Answer> answers() {
    synchronized (answers) {
      return List.copyOf(answers);
    }
  }

  public List<Answer> slowAnswers() {
    synchronized (slow) {
      return List.copyOf(slow);
    }
  }

  /** The body of the newest answer, or "" before the first. */
  public String last() {
    List<Answer> all = answers();
    return all.isEmpty() ? "" : all.get(all.size() - 1).body();
  }

  public List<Answer> failures() {
    return answers().stream().filter(a -> !a.ok()).toList();
  }

  /** When the first answer whose body contains {@code text} started, or -1. */
  public long firstAnswerWith(String text) {
    return answers().stream().filter(a -> a.body().contains(text)).mapToLong(Answer::startMs).min().orElse(-1);
  }

  private Answer get(String path) {
    long start = nowMs();
    try {
      Response response = request(address, port, host, path);
      return new Answer(start, nowMs(), response.status(), response.body());
    } catch (IOException e) {
      return new Answer(start, nowMs(), -1, e.toString());
    }
  }

  /** A status and a body. */
  public record Response(int status, String body) {}

  /** One GET with HTTP/1.1 and {@code Connection: close}, with any Host header (which java.net.http will not send). */
  public static Response request(String address, int port, String host, String path) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 3000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + (host == null ? address + ":" + port : host)
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      int headerEnd = text.indexOf("\r\n\r\n");
      if (!text.startsWith("HTTP/1.") || headerEnd < 0) {
        throw new IOException("not an HTTP answer: " + text.substring(0, Math.min(80, text.length())));
      }
      int status = Integer.parseInt(text.substring(9, 12));
      String body = text.substring(headerEnd + 4);
      if (text.substring(0, headerEnd).toLowerCase().contains("transfer-encoding: chunked")) {
        body = unchunk(body);
      }
      return new Response(status, body.trim());
    }
  }

  private static String unchunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (at < chunked.length()) {
      int lineEnd = chunked.indexOf("\r\n", at);
      if (lineEnd < 0) {
        break;
      }
      int size = Integer.parseInt(chunked.substring(at, lineEnd).trim().split(";")[0], 16);
      if (size == 0) {
        break;
      }
      body.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    return body.toString();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    threads.shutdown();
    threads.awaitTermination(20, TimeUnit.SECONDS);
  }
}
