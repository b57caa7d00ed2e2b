package dev.deployer.server;

import dev.deployer.server.http.ClientAddress;
import dev.deployer.server.http.Router;
import dev.deployer.server.http.WebServer;
import dev.deployer.ssh.SshOptions;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;

/**
 * {@code deployer serve}: the HTTP API, the deployment queue, the callback outbox and the
 * database, started and stopped together. Stopping stops taking requests first, then lets
 * active deployments finish.
 */
public final class DeployServer implements AutoCloseable {
  private final ServerConfig config;
  private final Database db;
  private final CallbackOutbox outbox;
  private final DeployQueue queue;
  private final WebServer http;

  public DeployServer(ServerConfig config, SshOptions ssh, String version) throws IOException, SQLException {
    this.config = config;
    this.db = config.store() == null ? Database.sqlite(config.dataDir()) : Database.postgresql(config.store());
    this.outbox = new CallbackOutbox(db, config.callbackHosts());
    DeploymentStore store = new DeploymentStore(db, outbox);
    this.queue = new DeployQueue(config, store, new DeploymentRunner(config, ssh), new ProjectLeases(db),
        db.engine() == Database.Engine.POSTGRESQL);
    Authenticator auth;
    if (config.store() == null) {
      auth = new Authenticator(Users.load(config.usersFile()), Tokens.load(config.tokensFile()));
    } else {
      Accounts accounts = new Accounts(db);
      accounts.adopt(config.usersFile(), config.tokensFile());
      auth = new Authenticator(accounts.users(), accounts.tokens());
    }
    Api api = new Api(config, store, outbox, auth, version);
    Uploads uploads = new Uploads(config, queue, call -> api.login(call, false));
    Hooks hooks = new Hooks(config, store, queue, Clock.systemUTC());
    Router router = new Router(config.apiRoot(), api.routes(hooks, uploads), new ClientAddress(config.trustedProxies()));
    this.http = new WebServer(config.listenHost(), config.listenPort(), router);
  }

  public void start() throws Exception {
    queue.resume();
    outbox.start();
    http.start();
  }

  public String address() {
    return "http://" + config.listenHost() + ":" + http.port() + config.apiRoot();
  }

  /** Graceful: no new requests, then the active deployment finishes (given up to ten minutes). */
  @Override
  public void close() {
    http.close();
    try {
      queue.shutdown(600);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    outbox.close();
    try {
      db.close();
    } catch (SQLException ignored) {
      // Closing at exit; SQLite's journal makes the file consistent either way.
    }
  }
}
