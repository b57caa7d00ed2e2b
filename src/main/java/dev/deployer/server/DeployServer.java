package dev.deployer.server;

import com.sun.net.httpserver.HttpServer;
import dev.deployer.ssh.SshOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code deployer serve}: the HTTP API, the deployment queue and the database, started and
 * stopped together. Stopping stops taking requests first, then lets active deployments finish.
 */
public final class DeployServer implements AutoCloseable {
  private final HttpServer http;
  private final ExecutorService handlers = Executors.newFixedThreadPool(8);
  private final DeploymentStore store;
  private final DeployQueue queue;
  private final ServerConfig config;

  public DeployServer(ServerConfig config, SshOptions ssh, String version) throws IOException, SQLException {
    this.config = config;
    this.store = new DeploymentStore(config.dataDir());
    Users users = Users.load(config.usersFile());
    this.queue = new DeployQueue(store, new DeploymentRunner(config, ssh));
    this.http = HttpServer.create(new InetSocketAddress(config.listenHost(), config.listenPort()), 64);
    http.createContext("/", new Api(config, store, queue, users, version));
    http.setExecutor(handlers);
  }

  public void start() throws SQLException {
    http.start();
    queue.resume();
  }

  public String address() {
    return "http://" + config.listenHost() + ":" + http.getAddress().getPort() + config.apiRoot();
  }

  /** Graceful: no new requests, then the active deployment finishes (given up to ten minutes). */
  @Override
  public void close() {
    http.stop(1);
    handlers.shutdown();
    try {
      queue.shutdown(600);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      store.close();
    } catch (SQLException ignored) {
      // Closing at exit; SQLite's journal makes the file consistent either way.
    }
  }
}
