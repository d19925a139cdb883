package dev.maestro.engine.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.internal.Json;
import dev.maestro.engine.mail.InMemoryOutbox;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.tool.ToolRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinToolsTest {

  @Test
  void the_standard_tools_register_under_their_names() {
    List<Tool> tools = BuiltinTools.standard(null, null, ReadFileTool.DEFAULT_MAX_BYTES);

    var registry = new ToolRegistry(tools);

    assertThat(registry.all()).extracting(t -> t.spec().name()).containsExactly("http_request", "read_file", "run_sql");
    ((HttpRequestTool) tools.get(1)).close();
  }

  @Test
  void the_high_risk_tools_are_execute_python_and_send_email() {
    List<Tool> tools = BuiltinTools.highRisk(null, new InMemoryOutbox(), null, null);

    assertThat(tools).extracting(t -> t.spec().name()).containsExactly("execute_python", "send_email");
    assertThat(tools).extracting(t -> t.spec().risk()).containsExactly(RiskLevel.HIGH, RiskLevel.MEDIUM);
  }

  @Test
  void run_sql_without_data_sources_says_how_to_configure_one() {
    Tool runSql = BuiltinTools.standard(HttpToolConfig.defaults(), List.of(), 1024).get(2);

    assertThatThrownBy(() -> runSql.call(Json.MAPPER.createObjectNode().put("query", "SELECT 1"), new ToolContext("r", "a", Path.of("."))))
        .isInstanceOf(ToolException.class)
        .hasMessage("no SQL data sources are configured; add one under 'datasources' in the Maestro config file");
  }

  @Test
  void run_sql_allows_its_slowest_query_timeout_plus_a_margin() {
    var tool = new RunSqlTool(List.of(
        new SqlDataSource("a", "jdbc:h2:mem:a", null, null, 0, Duration.ofSeconds(10)),
        new SqlDataSource("b", "jdbc:h2:mem:b", null, null, 0, null)));

    assertThat(tool.spec().timeout()).isEqualTo(Duration.ofSeconds(35));
    assertThat(tool.spec().parameters().path("required").toString()).contains("datasource");
    assertThat(tool.spec().parameters().path("properties").path("datasource").path("enum").toString()).isEqualTo("[\"a\",\"b\"]");
  }
}
