package dev.deployer.server.http;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server under {@code deployer serve}: Jetty with limits a public port needs. Reading
 * headers and bodies takes no worker thread, so slow clients cost sockets; the sockets are capped
 * and closed after {@link #IDLE_MS} without a byte; headers are capped in size.
 */
public final class WebServer implements AutoCloseable {
  static final int IDLE_MS = 30_000;
  static final int MAX_CONNECTIONS = 1024;
  static final int MAX_THREADS = 64;
  static final int MAX_HEADER_BYTES = 16 * 1024;

  private final Server server;
  private final ServerConnector connector;

  public WebServer(String host, int port, Router router) {
    QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 4, 60_000);
    pool.setName("deployer-http");
    server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(MAX_HEADER_BYTES);
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(IDLE_MS);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
    ErrorHandler errors = new ErrorHandler();
    // Requests Jetty itself refuses (a header too large, a bad request line) get a short answer.
    errors.setShowStacks(false);
    errors.setShowCauses(false);
    errors.setShowMessageInTitle(false);
    errors.setDefaultResponseMimeType("application/json");
    server.setErrorHandler(errors);
    server.setHandler(router);
    server.setStopTimeout(5_000);
  }

  public void start() throws Exception {
    server.start();
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** Stops taking connections; requests in flight get a few seconds to finish. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger("deployer.http").warn("stopping the HTTP server: {}", e.toString());
    }
  }
}
