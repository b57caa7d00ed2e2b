package dev.deployer.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The router on a real Jetty on loopback: matching, guards before bodies, and what errors show. */
class RouterTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicInteger bodiesRead = new AtomicInteger();
  private WebServer server;

  @BeforeEach
  void start() throws Exception {
    Route.Guard secret = call -> "let-me-in".equals(call.header("X-Key")) ? null : Reply.error(401, "no");
    List<Route> routes = List.of(
        Route.of("GET", "/", Route.Guard.ANYONE, Route.Body.NONE, call -> Reply.json(200, Map.of("ok", true))),
        Route.of("GET", "/items/{id}", Route.Guard.ANYONE, Route.Body.NONE, call -> Reply.text(200, "item " + call.param("id"))),
        Route.of("POST", "/echo", secret, new Route.Body.Bytes(100), call -> {
          bodiesRead.incrementAndGet();
          return Reply.text(200, new String(call.body()));
        }),
        Route.of("GET", "/boom", Route.Guard.ANYONE, Route.Body.NONE, call -> {
          throw new IllegalStateException("secret internals at dev.deployer.Something");
        }));
    server = new WebServer("127.0.0.1", 0, new Router("/api", routes, new ClientAddress(List.of())));
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("X-Key", key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void routesByMethodAndPathUnderTheExactRoot() throws Exception {
    assertEquals(200, send("GET", "/api", null, null).statusCode());
    assertEquals(200, send("GET", "/api/", null, null).statusCode());
    assertEquals("item 42", send("GET", "/api/items/42", null, null).body());
    assertEquals(404, send("GET", "/apiitems/42", null, null).statusCode());
    assertEquals(404, send("GET", "/other", null, null).statusCode());
    assertEquals(404, send("GET", "/api/items/42/more", null, null).statusCode());
    HttpResponse<String> head = send("HEAD", "/api/items/42", null, null);
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
    HttpResponse<String> wrongMethod = send("DELETE", "/api/items/42", null, null);
    assertEquals(405, wrongMethod.statusCode());
    assertEquals("GET, HEAD", wrongMethod.headers().firstValue("Allow").orElseThrow());
  }

  @Test
  void theGuardAnswersBeforeAnyOfTheBodyIsRead() throws Exception {
    assertEquals(401, send("POST", "/api/echo", "hello", null).statusCode());
    assertEquals(0, bodiesRead.get());
    assertEquals("hello", send("POST", "/api/echo", "hello", "let-me-in").body());
    HttpResponse<String> large = send("POST", "/api/echo", "x".repeat(101), "let-me-in");
    assertEquals(413, large.statusCode());
    assertEquals(1, bodiesRead.get());
  }

  @Test
  void aFailingEndpointAnswers500WithTheRequestIdAndNothingElse() throws Exception {
    HttpResponse<String> boom = send("GET", "/api/boom", null, null);
    assertEquals(500, boom.statusCode());
    String id = boom.headers().firstValue("X-Request-Id").orElseThrow();
    assertTrue(boom.body().contains("\"request_id\":\"" + id + "\""), boom.body());
    assertFalse(boom.body().contains("secret") || boom.body().contains("Exception") || boom.body().contains("dev.deployer"),
        boom.body());
  }
}
