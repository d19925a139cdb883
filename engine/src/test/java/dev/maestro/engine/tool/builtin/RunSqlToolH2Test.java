package dev.maestro.engine.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.tool.ToolException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunSqlToolH2Test extends RunSqlToolContract {
  private final String url = "jdbc:h2:mem:runsql_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

  @Override
  String jdbcUrl() {
    return url;
  }

  @Test
  void h2_functions_that_touch_server_files_are_refused() {
    assertThatThrownBy(() -> tool().call(query("SELECT * FROM CSVREAD('/etc/passwd')"), CONTEXT))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("'CSVREAD'");
    assertThatThrownBy(() -> tool().call(query("SELECT FILE_WRITE('x', '/tmp/maestro-should-not-exist')"), CONTEXT))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("'FILE_WRITE'");
  }

  @Test
  void an_h2_line_comment_cannot_hide_a_second_statement() throws Exception {
    // H2 reads '//' as a comment: under that rule the quote is commented out and DELETE runs.
    assertThatThrownBy(() -> tool().call(query("SELECT 1 //'\n; DELETE FROM " + table + "; -- '"), CONTEXT))
        .isInstanceOf(ToolException.class);
    assertThat(rowCount()).isEqualTo(5);
  }

  @Test
  void a_connection_failure_does_not_reveal_the_url_or_password() {
    var secret = new SqlDataSource("broken", "jdbc:nosuchdriver://db?password=hunter2", "u", "hunter2");
    var tool = new RunSqlTool(List.of(secret));

    assertThatThrownBy(() -> tool.call(query("SELECT 1"), CONTEXT))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("could not connect to data source 'broken'")
        .hasMessageNotContaining("hunter2");
    assertThat(secret.toString()).doesNotContain("hunter2");
  }
}
