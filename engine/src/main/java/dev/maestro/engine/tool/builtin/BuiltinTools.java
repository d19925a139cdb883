package dev.maestro.engine.tool.builtin;

import dev.maestro.engine.mail.Mailer;
import dev.maestro.engine.mail.Outbox;
import dev.maestro.engine.tool.Tool;
import java.util.List;

/**
 * The tools every Maestro workspace has: {@code read_file}, {@code http_request} and {@code run_sql},
 * and the high-risk {@code execute_python} and {@code send_email}.
 */
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

  /**
   * The tools that act on the world beyond reading: {@code execute_python} (HIGH risk) and {@code
   * send_email} (MEDIUM, HIGH for recipients outside the organisation). Their calls go through the
   * safety engine like every other; by default HIGH calls wait for a person's approval.
   *
   * @param python settings of {@code execute_python}; null for {@link PythonToolConfig#defaults()}
   * @param outbox the workspace's outbox, where {@code send_email} records every mail
   * @param mailer sends mails; null when no mail server is configured (mails are then only recorded, as held)
   * @param from the sender address of mails; null for {@link SendEmailTool#DEFAULT_FROM}
   */
  public static List<Tool> highRisk(PythonToolConfig python, Outbox outbox, Mailer mailer, String from) {
    return List.of(new ExecutePythonTool(python), new SendEmailTool(outbox, mailer, from));
  }
}
