package dev.maestro.engine.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolArguments;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.tool.ToolSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code run_sql}: runs one read-only query on a configured data source and returns JSON text
 * {@code {"columns":[...],"rows":[[...]],"row_count":n,"truncated":bool}}.
 *
 * <p>Two defences: {@link ReadOnlySql} refuses anything but a single SELECT, WITH or EXPLAIN
 * statement free of data-changing keywords; then the query runs on a fresh connection marked
 * read-only, in a transaction (PostgreSQL then enforces {@code READ ONLY}) that is always rolled
 * back. Rows beyond {@link SqlDataSource#maxRows()} are cut and reported.
 */
public final class RunSqlTool implements Tool {
  static final String NAME = "run_sql";
  static final String NONE_CONFIGURED = "no SQL data sources are configured; add one under 'datasources' in the Maestro config file";
  /** Time allowed beyond the query timeout for connecting and reading results. */
  private static final Duration MARGIN = Duration.ofSeconds(5);

  private final Map<String, SqlDataSource> sources = new LinkedHashMap<>();
  private final ToolSpec spec;

  /**
   * @throws InvalidInputException if two data sources share a name
   */
  public RunSqlTool(List<SqlDataSource> dataSources) {
    for (SqlDataSource ds : dataSources == null ? List.<SqlDataSource>of() : dataSources) {
      if (sources.putIfAbsent(ds.name(), ds) != null) {
        throw new InvalidInputException("two SQL data sources are named '" + ds.name() + "'; give each a distinct name");
      }
    }
    Duration longest = sources.values().stream().map(SqlDataSource::queryTimeout).max(Duration::compareTo).orElse(SqlDataSource.DEFAULT_QUERY_TIMEOUT);
    ObjectNode parameters = (ObjectNode) Json.tree("""
        {"type":"object",
         "properties":{
           "datasource":{"type":"string","description":"name of the data source to query"},
           "query":{"type":"string","description":"one SELECT, WITH or EXPLAIN statement; statements that change data are refused"}},
         "required":["query"]}""");
    if (!sources.isEmpty()) {
      ArrayNode names = ((ObjectNode) parameters.path("properties").path("datasource")).putArray("enum");
      sources.keySet().forEach(names::add);
    }
    if (sources.size() > 1) {
      ((ArrayNode) parameters.get("required")).add("datasource");
    }
    String available = sources.isEmpty() ? " No data source is configured yet." : " Data sources: " + String.join(", ", sources.keySet()) + ".";
    List<String> writable = sources.values().stream().filter(SqlDataSource::allowWrites).map(SqlDataSource::name).toList();
    this.spec = new ToolSpec(NAME,
        "Runs one SQL query (SELECT, WITH or EXPLAIN) and returns JSON with the columns and rows;"
            + " long results are cut at the data source's row limit."
            + (writable.isEmpty() ? " Statements that change data are refused."
                : " Statements that change data run only on " + String.join(", ", writable) + ", after the safety engine (and people, for risky ones) allow them.")
            + available,
        parameters, RiskLevel.LOW, true, longest.plus(MARGIN));
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public String call(JsonNode arguments, ToolContext context) {
    if (sources.isEmpty()) {
      throw new ToolException(NONE_CONFIGURED);
    }
    SqlDataSource source = dataSource(arguments);
    String query = ToolArguments.required(arguments, NAME, "query");
    if (source.allowWrites() && !readOnly(query)) {
      return write(source, query);
    }
    return run(source, ReadOnlySql.check(query));
  }

  /** A query that only reads may be repeated after a crash; one that writes may not. */
  @Override
  public boolean idempotent(JsonNode arguments) {
    return readOnly(arguments.path("query").asText(""));
  }

  private static boolean readOnly(String query) {
    try {
      ReadOnlySql.check(query);
      return true;
    } catch (ToolException e) {
      return false;
    }
  }

  /** Runs a statement that may change data, on a source that allows it, and commits. */
  private static String write(SqlDataSource source, String statement) {
    Connection connection = connect(source);
    try (connection) {
      connection.setAutoCommit(false);
      try (Statement st = connection.createStatement()) {
        st.setMaxRows(source.maxRows() + 1);
        st.setQueryTimeout((int) Math.max(1, Math.ceilDiv(source.queryTimeout().toMillis(), 1000)));
        String result;
        if (st.execute(statement.strip())) {
          try (ResultSet rs = st.getResultSet()) {
            result = render(rs, source.maxRows());
          }
        } else {
          ObjectNode out = Json.MAPPER.createObjectNode();
          out.put("updated_rows", st.getUpdateCount());
          result = Json.write(out);
        }
        connection.commit();
        return result;
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLTimeoutException e) {
      throw timedOut(source);
    } catch (SQLException e) {
      if ("57014".equals(e.getSQLState())) {
        throw timedOut(source);
      }
      throw new ToolException("the database (data source '" + source.name() + "') refused the statement: " + hide(e.getMessage(), source)
          + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")") + "; nothing was changed");
    }
  }

  private SqlDataSource dataSource(JsonNode arguments) {
    String name = ToolArguments.optional(arguments, NAME, "datasource").map(String::strip).orElse(null);
    if (name == null || name.isEmpty()) {
      if (sources.size() == 1) {
        return sources.values().iterator().next();
      }
      throw new ToolException("run_sql needs the argument 'datasource' when several are configured; use one of: " + String.join(", ", sources.keySet()));
    }
    SqlDataSource source = sources.get(name);
    if (source == null) {
      throw new ToolException("there is no data source named '" + name + "'; use one of: " + String.join(", ", sources.keySet()));
    }
    return source;
  }

  // Package-private so a test can show the read-only transaction holds even without the guard.
  static String run(SqlDataSource source, String statement) {
    Connection connection = connect(source);
    try (connection) {
      try {
        connection.setReadOnly(true);
        connection.setAutoCommit(false); // a transaction, so PostgreSQL enforces READ ONLY
        try (Statement st = connection.createStatement()) {
          st.setMaxRows(source.maxRows() + 1); // one more than allowed tells us the result was cut
          st.setFetchSize(Math.min(source.maxRows() + 1, 500));
          st.setQueryTimeout((int) Math.max(1, Math.ceilDiv(source.queryTimeout().toMillis(), 1000)));
          try (ResultSet rs = st.executeQuery(statement)) {
            return render(rs, source.maxRows());
          }
        }
      } finally {
        try {
          connection.rollback();
        } catch (SQLException ignored) {
          // closing the connection ends the transaction anyway
        }
      }
    } catch (SQLTimeoutException e) {
      throw timedOut(source);
    } catch (SQLException e) {
      if ("57014".equals(e.getSQLState())) { // query_canceled: how PostgreSQL and H2 report a timeout
        throw timedOut(source);
      }
      throw new ToolException("the database (data source '" + source.name() + "') refused the query: " + hide(e.getMessage(), source)
          + (e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")"));
    }
  }

  private static Connection connect(SqlDataSource source) {
    var properties = new Properties();
    if (source.user() != null) {
      properties.setProperty("user", source.user());
    }
    if (source.password() != null) {
      properties.setProperty("password", source.password());
    }
    try {
      return DriverManager.getConnection(source.jdbcUrl(), properties);
    } catch (SQLException e) {
      throw new ToolException("could not connect to data source '" + source.name() + "': " + hide(e.getMessage(), source)
          + "; the database may be down, or its settings in the Maestro config file may be wrong");
    }
  }

  private static String render(ResultSet rs, int maxRows) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    int columns = meta.getColumnCount();
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode names = out.putArray("columns");
    for (int c = 1; c <= columns; c++) {
      names.add(meta.getColumnLabel(c));
    }
    ArrayNode rows = out.putArray("rows");
    boolean truncated = false;
    while (rs.next()) {
      if (rows.size() == maxRows) {
        truncated = true;
        break;
      }
      ArrayNode row = rows.addArray();
      for (int c = 1; c <= columns; c++) {
        row.add(JdbcValues.column(rs, c, meta));
      }
    }
    out.put("row_count", rows.size());
    out.put("truncated", truncated);
    return Json.write(out);
  }

  private static ToolException timedOut(SqlDataSource source) {
    return new ToolException("the query ran longer than the query timeout of " + source.queryTimeout().toSeconds()
        + "s on data source '" + source.name() + "' and was cancelled; narrow it (WHERE, LIMIT, fewer joins) or query a smaller table");
  }

  /** Driver messages sometimes quote the URL, which may carry the password. */
  private static String hide(String message, SqlDataSource source) {
    String m = message == null ? "no message from the driver" : message.replace(source.jdbcUrl(), "<the data source's JDBC URL>");
    return source.password() == null || source.password().isEmpty() ? m : m.replace(source.password(), "<password>");
  }
}
