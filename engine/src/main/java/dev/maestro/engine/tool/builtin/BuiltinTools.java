package dev.maestro.engine.tool.builtin;

import dev.maestro.engine.tool.Tool;
import java.util.List;

/** The tools every Maestro workspace has: {@code read_file}, {@code http_request} and {@code run_sql}. */
public final class BuiltinTools {
  private BuiltinTools() {}

  /**
   * The standard built-in tools. {@code run_sql} is always included; with no data sources its calls
   * tell the model (and through it the user) how to configure one.
   *
   * @param http settings of {@code http_request}; null for {@link HttpToolConfig#defaults()}
   * @param sql data sources {@code run_sql} may query; null or empty for none
   * @param readFileMaxBytes how much of a file {@code read_file} returns
   */
  public static List<Tool> standard(HttpToolConfig http, List<SqlDataSource> sql, long readFileMaxBytes) {
    return List.of(new ReadFileTool(readFileMaxBytes), new HttpRequestTool(http), new RunSqlTool(sql));
  }
}
