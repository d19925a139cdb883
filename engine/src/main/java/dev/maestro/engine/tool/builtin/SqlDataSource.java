package dev.maestro.engine.tool.builtin;

import dev.maestro.engine.InvalidInputException;
import java.time.Duration;

/**
 * A database {@code run_sql} may query. Give it a database user that can only read: the tool
 * refuses statements that change data and asks the driver for a read-only transaction, but some
 * databases (H2 among them) treat read-only connections as a hint only.
 *
 * @param name what the model calls it in the {@code datasource} argument
 * @param jdbcUrl JDBC URL; the driver must be on the class path
 * @param user database user, or null when the URL carries it
 * @param password database password, or null
 * @param maxRows how many rows a query may return; more are cut and reported as truncated; 1000 if 0
 * @param queryTimeout how long a query may run; 30 seconds if null
 */
public record SqlDataSource(String name, String jdbcUrl, String user, String password, int maxRows, Duration queryTimeout, boolean allowWrites) {
  public static final int DEFAULT_MAX_ROWS = 1000;
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);

  public SqlDataSource {
    if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_.-]{0,63}")) {
      throw new InvalidInputException("data source name '" + name + "' is not valid; use 1-64 letters, digits, '_', '-' or '.', starting with a letter");
    }
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
      throw new InvalidInputException("data source '" + name + "' needs a JDBC URL starting with 'jdbc:'");
    }
    maxRows = maxRows == 0 ? DEFAULT_MAX_ROWS : maxRows;
    queryTimeout = queryTimeout == null ? DEFAULT_QUERY_TIMEOUT : queryTimeout;
    if (maxRows < 0 || maxRows == Integer.MAX_VALUE) {
      throw new InvalidInputException("data source '" + name + "' max rows " + maxRows + " must be positive");
    }
    if (queryTimeout.isNegative() || queryTimeout.isZero()) {
      throw new InvalidInputException("data source '" + name + "' query timeout " + queryTimeout + " must be positive");
    }
  }

  /** A read-only data source. */
  public SqlDataSource(String name, String jdbcUrl, String user, String password, int maxRows, Duration queryTimeout) {
    this(name, jdbcUrl, user, password, maxRows, queryTimeout, false);
  }

  /** A read-only data source with the default row limit and query timeout. */
  public SqlDataSource(String name, String jdbcUrl, String user, String password) {
    this(name, jdbcUrl, user, password, 0, null, false);
  }

  /** Leaves the password (and the URL, which may carry one) out. */
  @Override
  public String toString() {
    return "SqlDataSource[name=" + name + ", user=" + user + ", maxRows=" + maxRows + ", queryTimeout=" + queryTimeout + ", allowWrites=" + allowWrites + "]";
  }
}
