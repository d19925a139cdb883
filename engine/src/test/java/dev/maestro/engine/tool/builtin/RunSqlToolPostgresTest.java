package dev.maestro.engine.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.maestro.engine.tool.ToolException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on a real PostgreSQL, from MAESTRO_TEST_POSTGRES_URL; skipped with a notice without it. */
class RunSqlToolPostgresTest extends RunSqlToolContract {
  static final String URL = System.getenv("MAESTRO_TEST_POSTGRES_URL");

  @BeforeAll
  static void requirePostgres() {
    if (URL == null || URL.isBlank()) {
      System.err.println("NOTICE: RunSqlToolPostgresTest skipped: set MAESTRO_TEST_POSTGRES_URL (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres) to run it");
    }
    assumeTrue(URL != null && !URL.isBlank(), "MAESTRO_TEST_POSTGRES_URL is not set");
  }

  @Override
  String jdbcUrl() {
    return URL;
  }

  @Test
  void the_read_only_transaction_stops_a_write_that_got_past_the_guard() throws Exception {
    // Calls the executor directly, as if ReadOnlySql had missed this statement.
    assertThatThrownBy(() -> RunSqlTool.run(source("main", 0), "WITH x AS (DELETE FROM " + table + " RETURNING *) SELECT * FROM x"))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("read-only transaction");
    assertThat(rowCount()).isEqualTo(5);
  }

  @Test
  void a_dollar_quoted_string_cannot_hide_a_second_statement() throws Exception {
    assertThatThrownBy(() -> tool().call(query("SELECT $a$ ' $a$, 1; DELETE FROM " + table + "; -- '"), CONTEXT))
        .isInstanceOf(ToolException.class);
    assertThat(rowCount()).isEqualTo(5);
  }

  @Test
  void a_dollar_quoted_string_is_read_as_a_string() {
    var out = run(tool(), query("SELECT $q$plain text$q$ AS x"));

    assertThat(out.get("rows").get(0).get(0).asText()).isEqualTo("plain text");
  }

  @Test
  void a_long_query_is_cancelled_at_the_query_timeout() {
    var tool = new RunSqlTool(List.of(new SqlDataSource("main", URL, null, null, 0, Duration.ofSeconds(1))));

    assertThatThrownBy(() -> tool.call(query("SELECT pg_sleep(5)"), CONTEXT))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("query timeout of 1s");
  }
}
