package dev.maestro.store.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A throwaway schema in the PostgreSQL named by {@code MAESTRO_TEST_POSTGRES_URL}, so that tests
 * never see each other's rows. Tests that need one are skipped, visibly, when the variable is unset.
 */
final class PostgresSchema implements AutoCloseable {
  static final String URL_VARIABLE = "MAESTRO_TEST_POSTGRES_URL";

  private final String serverUrl;
  private final String name = "maestro_test_" + UUID.randomUUID().toString().replace("-", "");

  private PostgresSchema(String serverUrl) {
    this.serverUrl = serverUrl;
  }

  /** Creates a fresh schema, or skips the calling test when no PostgreSQL is configured. */
  static PostgresSchema create() {
    String url = System.getenv(URL_VARIABLE);
    assumeTrue(url != null && !url.isBlank(), URL_VARIABLE + " not set: PostgreSQL tests skipped");
    var schema = new PostgresSchema(url);
    schema.execute("CREATE SCHEMA " + schema.name);
    return schema;
  }

  /** The server URL with this schema as the current one. */
  String url() {
    return serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
  }

  JdbcStores open() {
    return JdbcStores.open(url(), null, null);
  }

  @Override
  public void close() {
    execute("DROP SCHEMA " + name + " CASCADE");
  }

  private void execute(String sql) {
    try (Connection c = DriverManager.getConnection(serverUrl)) {
      c.createStatement().execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run '" + sql + "' on " + DataSources.redact(serverUrl) + ": " + e.getMessage(), e);
    }
  }
}
