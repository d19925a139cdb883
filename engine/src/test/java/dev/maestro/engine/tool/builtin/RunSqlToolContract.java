package dev.maestro.engine.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What run_sql does on every database; subclasses supply one. Each test gets its own table of five
 * items, named uniquely so runs on a shared PostgreSQL do not collide.
 */
abstract class RunSqlToolContract {
  static final ToolContext CONTEXT = new ToolContext("run-1", "agent-1", Path.of("."));

  String table;

  abstract String jdbcUrl();

  @BeforeEach
  void createTable() throws SQLException {
    table = "maestro_sql_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(50), big BIGINT, price DECIMAL(10,2), ratio DOUBLE PRECISION,"
        + " active BOOLEAN, born DATE, seen TIMESTAMP, seen_tz TIMESTAMP WITH TIME ZONE, note VARCHAR(50))");
    execute("INSERT INTO " + table + " VALUES (1, 'apple', 9007199254740993, 12.50, 0.25, TRUE, DATE '2024-05-06',"
        + " TIMESTAMP '2024-05-06 07:08:09', TIMESTAMP WITH TIME ZONE '2024-05-06 07:08:09+00:00', NULL)");
    for (int id = 2; id <= 5; id++) {
      execute("INSERT INTO " + table + " (id, name) VALUES (" + id + ", 'item " + id + "')");
    }
  }

  @AfterEach
  void dropTable() throws SQLException {
    execute("DROP TABLE IF EXISTS " + table);
  }

  void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  long rowCount() throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  SqlDataSource source(String name, int maxRows) {
    return new SqlDataSource(name, jdbcUrl(), null, null, maxRows, null);
  }

  RunSqlTool tool() {
    return new RunSqlTool(List.of(source("main", 0)));
  }

  static ObjectNode query(String sql) {
    return Json.MAPPER.createObjectNode().put("query", sql);
  }

  JsonNode run(RunSqlTool tool, ObjectNode args) {
    return Json.tree(tool.call(args, CONTEXT));
  }

  @Test
  void select_returns_columns_and_rows_with_types_rendered() {
    JsonNode out = run(tool(), query("SELECT id, name, big, price, ratio, active, born, seen, seen_tz, note FROM " + table + " WHERE id = 1"));

    assertThat(out.get("columns").toString().toLowerCase()).isEqualTo("[\"id\",\"name\",\"big\",\"price\",\"ratio\",\"active\",\"born\",\"seen\",\"seen_tz\",\"note\"]");
    JsonNode row = out.get("rows").get(0);
    assertThat(row.get(0).isIntegralNumber()).isTrue();
    assertThat(row.get(0).asInt()).isEqualTo(1);
    assertThat(row.get(1).asText()).isEqualTo("apple");
    assertThat(row.get(2).isIntegralNumber()).isTrue();
    assertThat(row.get(2).asLong()).isEqualTo(9007199254740993L);
    assertThat(row.get(3).isNumber()).isTrue();
    assertThat(row.get(3).decimalValue()).isEqualByComparingTo("12.50");
    assertThat(row.get(4).doubleValue()).isEqualTo(0.25);
    assertThat(row.get(5).isBoolean()).isTrue();
    assertThat(row.get(5).asBoolean()).isTrue();
    assertThat(row.get(6).asText()).isEqualTo("2024-05-06");
    assertThat(row.get(7).asText()).isEqualTo("2024-05-06T07:08:09");
    assertThat(java.time.OffsetDateTime.parse(row.get(8).asText()).toInstant()).isEqualTo(java.time.Instant.parse("2024-05-06T07:08:09Z"));
    assertThat(row.get(9).isNull()).isTrue();
    assertThat(out.get("row_count").asInt()).isEqualTo(1);
    assertThat(out.get("truncated").asBoolean()).isFalse();
  }

  @Test
  void with_and_explain_are_accepted() {
    JsonNode with = run(tool(), query("WITH cheap AS (SELECT id FROM " + table + " WHERE id > 3) SELECT COUNT(*) AS n FROM cheap;"));
    JsonNode explain = run(tool(), query("EXPLAIN SELECT * FROM " + table));

    assertThat(with.get("rows").get(0).get(0).asInt()).isEqualTo(2);
    assertThat(explain.get("row_count").asInt()).isPositive();
  }

  @Test
  void statements_that_change_data_are_refused_naming_the_keyword() throws SQLException {
    RunSqlTool tool = tool();
    for (String keyword : List.of("INSERT", "UPDATE", "DELETE", "DROP")) {
      String sql = switch (keyword) {
        case "INSERT" -> "INSERT INTO " + table + " (id) VALUES (99)";
        case "UPDATE" -> "UPDATE " + table + " SET name = 'x'";
        case "DELETE" -> "DELETE FROM " + table;
        default -> "DROP TABLE " + table;
      };
      assertThatThrownBy(() -> tool.call(query(sql), CONTEXT))
          .isInstanceOf(ToolException.class)
          .hasMessageContaining("read-only")
          .hasMessageContaining("'" + keyword + "'");
    }
    assertThat(rowCount()).isEqualTo(5);
  }

  @Test
  void a_source_that_allows_writes_runs_and_commits_them_and_says_such_calls_are_not_repeatable() throws SQLException {
    var tool = new RunSqlTool(List.of(new SqlDataSource("main", jdbcUrl(), null, null, 0, null, true)));

    JsonNode out = run(tool, query("DELETE FROM " + table + " WHERE id > 3"));

    assertThat(out.path("updated_rows").asInt()).isEqualTo(2);
    assertThat(rowCount()).isEqualTo(3);
    assertThat(run(tool, query("SELECT COUNT(*) AS n FROM " + table)).at("/rows/0/0").asLong()).isEqualTo(3);
    assertThat(tool.idempotent(query("DELETE FROM " + table))).isFalse();
    assertThat(tool.idempotent(query("SELECT 1"))).isTrue();
    assertThatThrownBy(() -> tool.call(query("DELETE FROM no_such_table_here"), CONTEXT)).isInstanceOf(ToolException.class)
        .hasMessageContaining("nothing was changed");
    assertThat(tool().spec().description()).contains("refused");
    assertThat(tool.spec().description()).contains("change data run only on main");
  }

  @Test
  void a_second_statement_is_refused() throws SQLException {
    assertThatThrownBy(() -> tool().call(query("SELECT 1; DROP TABLE " + table), CONTEXT))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("more than one statement");
    assertThat(rowCount()).isEqualTo(5);
  }

  @Test
  void a_keyword_inside_a_string_literal_is_allowed() {
    JsonNode out = run(tool(), query("SELECT 'drop table " + table + "; delete' AS x"));

    assertThat(out.get("rows").get(0).get(0).asText()).isEqualTo("drop table " + table + "; delete");
  }

  @Test
  void a_data_modifying_cte_is_refused_and_the_rows_stay() throws SQLException {
    assertThatThrownBy(() -> tool().call(query("WITH x AS (DELETE FROM " + table + " RETURNING *) SELECT * FROM x"), CONTEXT))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("'DELETE'");
    assertThat(rowCount()).isEqualTo(5);
  }

  @Test
  void rows_beyond_the_limit_are_cut_and_reported() {
    var tool = new RunSqlTool(List.of(source("main", 3)));

    JsonNode cut = run(tool, query("SELECT id FROM " + table + " ORDER BY id"));
    JsonNode exact = run(tool, query("SELECT id FROM " + table + " WHERE id <= 3 ORDER BY id"));

    assertThat(cut.get("rows").toString()).isEqualTo("[[1],[2],[3]]");
    assertThat(cut.get("row_count").asInt()).isEqualTo(3);
    assertThat(cut.get("truncated").asBoolean()).isTrue();
    assertThat(exact.get("row_count").asInt()).isEqualTo(3);
    assertThat(exact.get("truncated").asBoolean()).isFalse();
  }

  @Test
  void an_unknown_data_source_is_named_with_the_ones_that_exist() {
    var tool = new RunSqlTool(List.of(source("main", 0), source("reporting", 0)));

    assertThatThrownBy(() -> tool.call(query("SELECT 1").put("datasource", "sales"), CONTEXT))
        .isInstanceOf(ToolException.class)
        .hasMessage("there is no data source named 'sales'; use one of: main, reporting");
    assertThatThrownBy(() -> tool.call(query("SELECT 1"), CONTEXT))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("needs the argument 'datasource'")
        .hasMessageContaining("main, reporting");
    assertThat(run(tool, query("SELECT id FROM " + table + " WHERE id = 2").put("datasource", "reporting")).get("rows").toString()).isEqualTo("[[2]]");
  }

  @Test
  void a_database_error_is_reported_without_a_stack_trace() {
    assertThatThrownBy(() -> tool().call(query("SELECT no_such_column FROM " + table), CONTEXT))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("refused the query")
        .hasMessageContaining("SQLState")
        .hasMessageNotContaining("\tat ");
  }
}
