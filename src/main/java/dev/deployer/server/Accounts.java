package dev.deployer.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Users and API tokens in the shared database ({@code store: postgresql://...}): every replica
 * knows the same ones, reads them at each login (a user added or a token revoked counts at once,
 * no restart), and an old hash made again at a login is written there. {@code deployer passwd}
 * and {@code deployer token} write them with {@code --store}. A first start brings in the users
 * and tokens files when the tables are still empty.
 */
public final class Accounts {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("deployer.users");

  private final Database db;

  Accounts(Database db) {
    this.db = db;
  }

  Users users() {
    return Users.in(new Users.Source() {
      @Override
      public Optional<Users.User> find(String name) {
        return one("select name, role, hash from users where name = ?", name);
      }

      @Override
      public void write(Users.User user) throws IOException {
        try {
          db.call(c -> putUser(c, user));
        } catch (SQLException e) {
          throw new IOException(e.getMessage(), e);
        }
      }
    });
  }

  Tokens tokens() {
    return Tokens.in(hash -> one("select name, role, hash from tokens where hash = ?", "sha256$" + hash));
  }

  /** The users and tokens files, once: when the tables are empty and the files exist. */
  void adopt(Path usersFile, Path tokensFile) throws IOException, SQLException {
    if (count("users") == 0 && Files.exists(usersFile)) {
      var users = Users.read(usersFile);
      db.transaction(c -> {
        for (Users.User user : users) {
          putUser(c, user);
        }
        return null;
      });
      LOG.info("brought {} user(s) from {} into the database; manage them with deployer passwd --store", users.size(), usersFile);
    }
    if (count("tokens") == 0 && Files.exists(tokensFile)) {
      var tokens = Tokens.read(tokensFile);
      db.transaction(c -> {
        for (Users.User token : tokens) {
          putToken(c, token);
        }
        return null;
      });
      LOG.info("brought {} token(s) from {} into the database", tokens.size(), tokensFile);
    }
  }

  /** {@code deployer passwd USER --store URL}. */
  public static void putUser(String store, String name, Users.Role role, String password) throws SQLException {
    Users.checkName(name);
    try (Database db = Database.postgresql(store)) {
      db.call(c -> putUser(c, new Users.User(name, role, Users.hash(password))));
    }
  }

  /** {@code deployer token create NAME --store URL}: the token, to show once. */
  public static String createToken(String store, String name, Users.Role role) throws SQLException {
    String token = Tokens.fresh(name);
    try (Database db = Database.postgresql(store)) {
      db.call(c -> putToken(c, new Users.User(name, role, "sha256$" + Tokens.sha256(token))));
    }
    return token;
  }

  /** {@code deployer token revoke NAME --store URL}: whether there was one. */
  public static boolean revokeToken(String store, String name) throws SQLException {
    try (Database db = Database.postgresql(store)) {
      return db.call(c -> DeploymentStore.update(c, "delete from tokens where name = ?", name)) == 1;
    }
  }

  private static Void putUser(Connection c, Users.User user) throws SQLException {
    DeploymentStore.update(c, "insert into users values (?,?,?) on conflict (name) do update set role = excluded.role,"
        + " hash = excluded.hash", user.name(), user.role().name(), user.hash());
    return null;
  }

  private static Void putToken(Connection c, Users.User token) throws SQLException {
    DeploymentStore.update(c, "insert into tokens values (?,?,?) on conflict (name) do update set role = excluded.role,"
        + " hash = excluded.hash", token.name(), token.role().name(), token.hash());
    return null;
  }

  private Optional<Users.User> one(String sql, String key) {
    try {
      return db.call(c -> {
        try (PreparedStatement p = c.prepareStatement(sql)) {
          p.setString(1, key);
          try (ResultSet r = p.executeQuery()) {
            return r.next() ? Optional.of(new Users.User(r.getString(1), Users.Role.valueOf(r.getString(2)), r.getString(3)))
                : Optional.empty();
          }
        }
      });
    } catch (SQLException e) {
      throw new IllegalStateException("reading " + key + "'s account: " + e.getMessage(), e);
    }
  }

  private int count(String table) throws SQLException {
    return db.call(c -> {
      try (PreparedStatement p = c.prepareStatement("select count(*) from " + table); ResultSet r = p.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    });
  }
}
