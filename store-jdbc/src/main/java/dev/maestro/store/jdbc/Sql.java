package dev.maestro.store.jdbc;

import dev.maestro.engine.MaestroException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

/** JDBI set up for this store, and the SQL error handling every store shares. */
final class Sql {
  /** Both databases keep microseconds; appended times are cut to that so what is read equals what was written. */
  static final ChronoUnit TIME_PRECISION = ChronoUnit.MICROS;

  private static final String UNIQUE_VIOLATION = "23505";

  private Sql() {}

  static Jdbi jdbi(DataSource dataSource) {
    Jdbi jdbi = Jdbi.create(dataSource);
    // Instants travel as OffsetDateTime at UTC (JDBC 4.2), never through java.sql.Timestamp and
    // the JVM's default time zone.
    jdbi.registerArgument(new AbstractArgumentFactory<Instant>(Types.TIMESTAMP_WITH_TIMEZONE) {
      @Override
      protected Argument build(Instant value, ConfigRegistry config) {
        return (position, statement, ctx) -> statement.setObject(position, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
      }
    });
    return jdbi;
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  }

  /** Whether the failure is a duplicate primary key: another writer inserted the same row first. */
  static boolean isDuplicateKey(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        for (SQLException s = sql; s != null; s = s.getNextException()) {
          if (UNIQUE_VIOLATION.equals(s.getSQLState())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Runs an {@code INSERT ... SELECT ... WHERE NOT EXISTS} that creates a workspace's row of some
   * table, binding {@code :workspace_id}; another process inserting the same row just before is fine.
   */
  static void insertIfAbsent(Jdbi jdbi, String what, String sql, String workspaceId) {
    try {
      jdbi.useHandle(h -> h.createUpdate(sql).bind("workspace_id", workspaceId).execute());
    } catch (JdbiException e) {
      if (!isDuplicateKey(e)) {
        throw failed(what, e);
      }
    }
  }

  /** Runs a read or a single-statement write, turning a database failure into a message that names what was being done. */
  static <T> T call(String what, Supplier<T> work) {
    try {
      return work.get();
    } catch (JdbiException e) {
      throw failed(what, e);
    }
  }

  /**
   * The failure as a Maestro exception: retryable when the database was unreachable, busy or broke
   * off the transaction (SQLSTATE classes 08, 40, 53, 57), not when it refused the statement itself.
   */
  static MaestroException failed(String what, Throwable e) {
    String message = "cannot " + what + ": " + DataSources.rootMessage(e);
    String state = sqlState(e);
    boolean transientFailure = state == null || state.startsWith("08") || state.startsWith("40")
        || state.startsWith("53") || state.startsWith("57");
    return transientFailure ? new StoreUnavailableException(message, e) : new MaestroException(message, e);
  }

  /** The SQLSTATE of the first SQL exception in the chain, or null if there is none (no connection could be had, say). */
  static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return null;
  }
}
