package dev.deployer.server;

import dev.deployer.testbed.TestPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;

/** The store's behaviour, the same tests as on SQLite, on a real PostgreSQL server. */
class PostgresStoreIT extends DeploymentStoreTest {
  private TestPostgres postgres;

  @Override
  Database database(Path dir) throws SQLException {
    try {
      postgres = TestPostgres.start();
    } catch (IOException e) {
      throw new SQLException(e.getMessage(), e);
    }
    return Database.postgresql(postgres.url());
  }

  @AfterEach
  void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }
}
