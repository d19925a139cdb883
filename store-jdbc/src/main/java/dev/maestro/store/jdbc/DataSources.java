package dev.maestro.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.maestro.engine.MaestroException;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/** Opens the connection pool and brings the schema up to date, with errors that say what to check. */
final class DataSources {
  private static final Pattern PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

  private DataSources() {}

  static HikariDataSource open(Dialect dialect, String jdbcUrl, String user, String password) {
    var config = new HikariConfig();
    config.setPoolName("maestro-store");
    config.setJdbcUrl(jdbcUrl);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    // Readers and the one committer; more would only contend for the same rows.
    config.setMaximumPoolSize(10);
    config.setConnectionTimeout(10_000);
    if (dialect == Dialect.POSTGRESQL) {
      // Turns a batch of single-row inserts into multi-row inserts: far fewer round trips.
      config.addDataSourceProperty("reWriteBatchedInserts", "true");
      // The driver prepares statements on the server after a few uses, and PostgreSQL may then
      // keep a generic plan made while the tables were empty: for agent_runs it scanned a whole
      // workspace's runs for every update by id. Planning each execution costs far less than that.
      config.setConnectionInitSql("SET plan_cache_mode = force_custom_plan");
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw cannotConnect(dialect, jdbcUrl, e);
    }
    try {
      Flyway.configure()
          .dataSource(pool)
          .locations(dialect.migrations().toArray(String[]::new))
          .load()
          .migrate();
    } catch (FlywayException e) {
      pool.close();
      throw new MaestroException("cannot bring the " + dialect.product + " schema at " + redact(jdbcUrl)
          + " up to date: " + e.getMessage() + "; it may have been changed by hand or by a newer Maestro", e);
    }
    return pool;
  }

  private static MaestroException cannotConnect(Dialect dialect, String jdbcUrl, Throwable e) {
    String hint = dialect == Dialect.POSTGRESQL
        ? "check MAESTRO_DB_URL, the user and password, and that the server is running"
        : "check that the data directory is writable and that no other program holds the database open";
    return new StoreUnavailableException("cannot connect to " + dialect.product + " at " + redact(jdbcUrl) + ": "
        + rootMessage(e) + "; " + hint, e);
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message.strip();
  }

  /** The URL without its password, fit for messages and logs. */
  static String redact(String jdbcUrl) {
    return jdbcUrl == null ? "null" : PASSWORD.matcher(jdbcUrl).replaceAll("$1***");
  }
}
