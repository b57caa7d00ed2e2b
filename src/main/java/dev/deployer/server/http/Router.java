package dev.deployer.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests under the API root to their endpoints: by method and path, HEAD wherever GET
 * is allowed, the guard before the body, the body read without holding a thread (a client that
 * stalls mid-body costs a socket, not a worker). Every request gets an id and one log line; an
 * endpoint's exception is logged with its stack and answered 500 with the id, nothing more.
 */
public final class Router extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger("deployer.http");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** How much of a body that is too large is read and dropped before the 413 is sent. */
  private static final long DRAIN_BYTES = 4L * 1024 * 1024;

  private final String root;
  private final List<Route> routes;
  private final ClientAddress clients;

  /** @param root the API root ("/deploy", or "" for the server's root), matched exactly */
  public Router(String root, List<Route> routes, ClientAddress clients) {
    this.root = root;
    this.routes = List.copyOf(routes);
    this.clients = clients;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long started = System.nanoTime();
    String id = HexFormat.of().formatHex(randomBytes());
    InetSocketAddress peer = (InetSocketAddress) request.getConnectionMetaData().getRemoteSocketAddress();
    String client = clients.of(peer.getAddress(), request.getHeaders().get("X-Real-IP"),
        request.getHeaders().get(HttpHeader.X_FORWARDED_FOR));
    Exchange exchange = new Exchange(id, request, response, callback, client, started);
    try {
      dispatch(exchange);
    } catch (Throwable e) {
      exchange.fail(e);
    }
    return true;
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private void dispatch(Exchange ex) throws Exception {
    String path = ex.request.getHttpURI().getDecodedPath();
    if (path == null || !(path.equals(root) || path.startsWith(root + "/")) || root.isEmpty() && !path.startsWith("/")) {
      ex.send(Reply.error(404, "not found; the API is under " + (root.isEmpty() ? "/" : root)));
      return;
    }
    List<String> segments = new ArrayList<>();
    for (String segment : path.substring(root.length()).split("/")) {
      if (!segment.isEmpty()) {
        segments.add(segment);
      }
    }
    String method = ex.request.getMethod();
    String asked = method.equals("HEAD") ? "GET" : method;
    Set<String> allowed = new LinkedHashSet<>();
    for (Route route : routes) {
      Map<String, String> params = route.match(segments);
      if (params == null) {
        continue;
      }
      if (!route.method().equals(asked)) {
        allowed.add(route.method());
        continue;
      }
      ex.call = new Call(ex.id, ex.request, ex.client, params);
      ex.shownPath = route.shown(root, params);
      Reply refused = route.guard().admit(ex.call);
      if (refused != null) {
        answerAfterBody(ex, refused);
        return;
      }
      readBodyThen(ex, route);
      return;
    }
    if (allowed.isEmpty()) {
      answerAfterBody(ex, Reply.error(404, "no endpoint " + path));
      return;
    }
    if (allowed.contains("GET")) {
      allowed.add("HEAD");
    }
    answerAfterBody(ex, Reply.error(405, "use " + String.join(" or ", allowed)).with("Allow", String.join(", ", allowed)));
  }

  private void readBodyThen(Exchange ex, Route route) {
    if (route.body() instanceof Route.Body.Bytes bytes) {
      readBytes(ex, route, bytes.limit());
    } else if (route.body() instanceof Route.Body.Form form) {
      readForm(ex, route, form);
    } else {
      ex.answer(route);
    }
  }

  private void readBytes(Exchange ex, Route route, int limit) {
    if (ex.request.getLength() > limit) {
      answerAfterBody(ex, Reply.error(413, "the body is larger than " + limit + " bytes"));
      return;
    }
    Executor pool = getServer().getThreadPool();
    BoundedBody.read(ex.request, limit, body -> pool.execute(() -> {
      if (body.failure() != null) {
        ex.closeAfter = true;
        ex.send(Reply.error(400, "the body could not be read"));
      } else if (body.tooLarge()) {
        answerAfterBody(ex, Reply.error(413, "the body is larger than " + limit + " bytes"));
      } else {
        ex.call.body(body.content());
        ex.answer(route);
      }
    }));
  }

  /**
   * Answers a request refused before its body was read (or read only in part) once a moderate
   * rest of the body is read and dropped, without holding a thread: the client, still sending,
   * sees the answer rather than a reset, and its connection stays usable for the next request. A
   * larger rest is not waited for: the connection is closed (a client that wants to know first
   * sends Expect: 100-continue).
   */
  private void answerAfterBody(Exchange ex, Reply reply) {
    if (ex.request.getLength() == 0 || ex.request.getHeaders().contains(HttpHeader.EXPECT, "100-continue")) {
      // With Expect: 100-continue nothing was sent yet, and reading now would ask for it.
      ex.closeAfter = ex.request.getLength() != 0;
      ex.send(reply);
      return;
    }
    Executor pool = getServer().getThreadPool();
    drain(ex.request, DRAIN_BYTES, wholeBodyRead -> pool.execute(() -> {
      ex.closeAfter |= !wholeBodyRead;
      ex.send(reply);
    }));
  }

  /** Reads and drops up to {@code budget} bytes; tells {@code then} whether the body ended within it. */
  private static void drain(Content.Source source, long budget, java.util.function.Consumer<Boolean> then) {
    long left = budget;
    while (true) {
      Content.Chunk chunk = source.read();
      if (chunk == null) {
        long rest = left;
        source.demand(() -> drain(source, rest, then));
        return;
      }
      left -= chunk.remaining();
      boolean failed = Content.Chunk.isFailure(chunk);
      boolean ended = chunk.isLast() && !failed && left >= 0;
      chunk.release();
      if (ended || failed || left < 0) {
        then.accept(ended);
        return;
      }
    }
  }

  private void readForm(Exchange ex, Route route, Route.Body.Form form) {
    if (ex.request.getLength() > form.limit()) {
      answerAfterBody(ex, Reply.error(413, "the upload is larger than " + form.limit() + " bytes"));
      return;
    }
    String type = ex.request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
      ex.send(Reply.error(400, "the body is multipart/form-data"));
      return;
    }
    // Each request's parts go to a directory of its own, removed when the call ends however it
    // ends, so a form that fails halfway leaves nothing behind.
    Path dir = form.dir().resolve(ex.id);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      ex.fail(e);
      return;
    }
    MultiPartConfig config = new MultiPartConfig.Builder().location(dir).maxSize(form.limit())
        .maxPartSize(form.limit()).maxMemoryPartSize(16 * 1024).maxParts(8).maxHeadersSize(4096)
        .useFilesForPartsWithoutFileName(false).build();
    Executor pool = getServer().getThreadPool();
    MultiPartFormData.from(ex.request, ex.request, type, config).whenComplete((parts, failure) -> pool.execute(() -> {
      try {
        if (failure != null) {
          LOG.info("{} the form could not be read: {}", ex.id, rootMessage(failure));
          if (tooLarge(failure)) {
            answerAfterBody(ex, Reply.error(413, "the upload is larger than " + form.limit() + " bytes"));
          } else {
            ex.closeAfter = true;
            ex.send(Reply.error(400, "malformed multipart body: " + rootMessage(failure)));
          }
          return;
        }
        ex.call.parts(parts);
        try {
          ex.answer(route);
        } finally {
          parts.close();
        }
      } finally {
        deleteTree(dir);
      }
    }));
  }

  /** Removes a directory and what is in it; links inside are removed, never followed. */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      LOG.warn("could not remove {}: {}", dir, e.toString());
    }
  }

  private static boolean tooLarge(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (message.contains("max") || message.contains("exceed") || message.contains("too large")) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage()).replaceAll("[^\\x20-\\x7e]", "?");
  }

  /** One request on its way through: answered exactly once, logged exactly once. */
  private static final class Exchange {
    final String id;
    final Request request;
    final Response response;
    final Callback callback;
    final String client;
    final long started;
    Call call;
    /** The path for the log: the request's own, until a route says which part is a secret. */
    String shownPath;
    private boolean sent;
    /**
     * True when the body was not read to its end (a failed read, a rest too large to drain): the
     * answer says the connection closes, so a client does not send its next request on it.
     */
    boolean closeAfter;

    Exchange(String id, Request request, Response response, Callback callback, String client, long started) {
      this.id = id;
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.client = client;
      this.started = started;
      this.shownPath = request.getHttpURI().getPath();
    }

    void answer(Route route) {
      try {
        send(route.endpoint().answer(call));
      } catch (Throwable e) {
        fail(e);
      }
    }

    void fail(Throwable e) {
      LOG.error("{} {} {} failed", id, request.getMethod(), shownPath, e);
      send(new Reply(500, Map.of("error", "internal error; the server's log has the details", "request_id", id), Map.of()));
    }

    synchronized void send(Reply reply) {
      if (sent) {
        return;
      }
      sent = true;
      byte[] bytes;
      String type;
      if (reply.body() instanceof String text) {
        type = "text/plain; charset=utf-8";
        bytes = text.getBytes(StandardCharsets.UTF_8);
      } else {
        type = "application/json";
        Object body = reply.body();
        if (reply.status() >= 400 && body instanceof Map<?, ?> map && !map.containsKey("request_id")) {
          java.util.Map<Object, Object> withId = new java.util.LinkedHashMap<>(map);
          withId.put("request_id", id);
          body = withId;
        }
        try {
          bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
          bytes = ("{\"error\":\"cannot write the answer\",\"request_id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
        }
      }
      response.setStatus(reply.status());
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
      response.getHeaders().put("X-Request-Id", id);
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      if (closeAfter) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      }
      reply.headers().forEach(response.getHeaders()::put);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
      response.write(true, ByteBuffer.wrap(bytes), callback);
      LOG.info("{} {} {} {} {} {} {}ms", id, client, call == null || call.principal() == null ? "-" : call.principal(),
          request.getMethod(), shownPath, reply.status(), (System.nanoTime() - started) / 1_000_000);
    }
  }
}
