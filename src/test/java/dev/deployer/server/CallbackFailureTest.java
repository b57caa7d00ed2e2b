package dev.deployer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A callback that fails says why in the server's log and the outbox, never "null". */
class CallbackFailureTest {
  @Test
  void aRefusedConnectionIsNamedThoughJavasClientGivesNoMessage() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closed + "/cb";
    ConnectException refused = assertThrows(ConnectException.class, () -> HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()));
    assertEquals("cannot connect to 127.0.0.1:" + closed + " (refused, or no route)", CallbackOutbox.failure(refused, url));
  }

  @Test
  void aMessageFromACauseIsKept() {
    IOException wrapped = new IOException(null, new IllegalStateException("TLS handshake failed"));
    assertEquals("IOException: TLS handshake failed", CallbackOutbox.failure(wrapped, "https://hooks.example.com/x"));
  }
}
