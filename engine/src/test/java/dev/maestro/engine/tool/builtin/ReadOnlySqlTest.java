package dev.maestro.engine.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.tool.ToolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadOnlySqlTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT 1",
      "select * from t where name = 'it''s'",
      "  -- a comment\n /* another */ SELECT 1",
      "WITH a AS (SELECT 1 AS x) SELECT x FROM a",
      "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r",
      "EXPLAIN ANALYZE SELECT * FROM t",
      "(SELECT 1) UNION (SELECT 2)",
      "SELECT 'drop table t; delete from u' AS x",
      "SELECT \"update\", \"set\" FROM t",
      "SELECT note FROM t WHERE note LIKE '%;%' -- ; DROP in a comment",
      "SELECT created_at, updated_at, offset_set FROM t",
      "SELECT data->>'a' FROM t WHERE id = $1"})
  void accepts_single_read_only_statements(String sql) {
    assertThat(ReadOnlySql.check(sql)).isNotBlank();
  }

  @Test
  void trailing_semicolons_and_comments_are_dropped() {
    assertThat(ReadOnlySql.check("SELECT 1 ;; -- done\n")).isEqualTo("SELECT 1");
    assertThat(ReadOnlySql.check("SELECT ';'")).isEqualTo("SELECT ';'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"UPDATE t SET a = 1", "INSERT INTO t VALUES (1)", "DELETE FROM t", "DROP TABLE t", "SHOW TABLES",
      "CALL proc()", "VALUES (1)", "\"SELECT\" 1"})
  void refuses_a_statement_that_does_not_start_with_select_with_or_explain(String sql) {
    assertThatThrownBy(() -> ReadOnlySql.check(sql))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("accepts one SELECT, WITH or EXPLAIN statement; this query starts with");
  }

  @Test
  void the_refusal_names_the_keyword() {
    assertThatThrownBy(() -> ReadOnlySql.check("SELECT * FROM t FOR UPDATE"))
        .hasMessageContaining("uses 'UPDATE'").hasMessageContaining("write it in double quotes");
    assertThatThrownBy(() -> ReadOnlySql.check("SELECT * INTO backup FROM t")).hasMessageContaining("'INTO'");
    assertThatThrownBy(() -> ReadOnlySql.check("with x as (delete from t returning *) select * from x")).hasMessageContaining("'DELETE'");
    assertThatThrownBy(() -> ReadOnlySql.check("EXPLAIN ANALYZE DELETE FROM t")).hasMessageContaining("'DELETE'");
    assertThatThrownBy(() -> ReadOnlySql.check("SELECT a$delete FROM t")).hasMessageContaining("'DELETE'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"SELECT set_config('default_transaction_read_only', 'off', false)", "SELECT nextval('s')",
      "SELECT pg_read_file('/etc/passwd')", "SELECT * FROM \"CSVREAD\"('/etc/passwd')", "SELECT query_to_xml('delete from t', true, true, '')"})
  void refuses_functions_with_side_effects(String sql) {
    assertThatThrownBy(() -> ReadOnlySql.check(sql)).isInstanceOf(ToolException.class).hasMessageContaining("does not allow the function");
  }

  @Test
  void refuses_more_than_one_statement() {
    assertThatThrownBy(() -> ReadOnlySql.check("SELECT 1; DROP TABLE t"))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("more than one statement");
    assertThatThrownBy(() -> ReadOnlySql.check("SELECT 1; SELECT 2")).hasMessageContaining("more than one statement");
  }

  @Test
  void refuses_empty_and_unterminated_queries() {
    assertThatThrownBy(() -> ReadOnlySql.check(" -- nothing\n /* here */ ")).hasMessageContaining("the query is empty");
    assertThatThrownBy(() -> ReadOnlySql.check("SELECT 'open")).hasMessageContaining("string literal starting at position 7");
    assertThatThrownBy(() -> ReadOnlySql.check("SELECT 1 /* open")).hasMessageContaining("never closed");
  }

  /** Each of these hides a DELETE from one dialect's reading and exposes it to another's. */
  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT '\\' ; DELETE FROM t; -- '",          // MySQL, or PostgreSQL with standard_conforming_strings off
      "SELECT E'\\' ; DELETE FROM t; -- '",         // PostgreSQL escape string
      "SELECT '\\' ' # ; DELETE FROM t; -- '",      // backslash plus MySQL '#' comment
      "SELECT 1 #'\nDELETE FROM t -- '",           // MySQL '#' comment
      "SELECT 1 //'\n; DELETE FROM t; -- '",        // H2 '//' comment
      "SELECT $a$ ' $a$, 1; DELETE FROM t; -- '",   // PostgreSQL dollar quoting
      "SELECT `'`; DELETE FROM t; -- '",            // MySQL backtick identifier
      "SELECT 1 --'' ; DELETE FROM t",              // MySQL: '--' without a space is two minus signs
      "SELECT \"\\\"\" ; DELETE FROM t; -- \"",     // MySQL double-quoted string with a backslash escape
      "SELECT 1 /* /* */ ' */ ; DELETE FROM t; -- '", // PostgreSQL nests comments
      "SELECT 1 /*! ; DELETE FROM t */"})           // MySQL executes /*! comments
  void refuses_keywords_hidden_by_one_dialects_quoting_rules(String sql) {
    assertThatThrownBy(() -> ReadOnlySql.check(sql)).isInstanceOf(ToolException.class);
  }

  @Test
  void a_refusal_under_another_dialect_says_which_rule_applied() {
    assertThatThrownBy(() -> ReadOnlySql.check("SELECT 1 //'\n; DELETE FROM t; -- '"))
        .hasMessageContaining("'//' starts a comment, as in H2")
        .hasMessageContaining("read-only statement in every dialect");
    assertThatThrownBy(() -> ReadOnlySql.check("SELECT $$a;b$$"))
        .hasMessageContaining("more than one statement")
        .hasMessageContaining("where not $$ or $tag$ quote strings");
  }

  @Test
  void refuses_an_overly_long_query() {
    assertThatThrownBy(() -> ReadOnlySql.check("SELECT " + "1,".repeat(60_000) + "1")).hasMessageContaining("at most 100000");
  }
}
