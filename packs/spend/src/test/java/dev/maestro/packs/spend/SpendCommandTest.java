package dev.maestro.packs.spend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maestro.engine.pack.Pack;
import dev.maestro.engine.pack.PackContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code maestro spend ...} through picocli, as the CLI adds the pack's command: real files in, real output checked. */
class SpendCommandTest {
  @TempDir Path dir;

  record Result(int exit, String out, String err) {}

  private Result spend(String... args) {
    Pack pack = ServiceLoader.load(Pack.class).stream().map(ServiceLoader.Provider::get).filter(p -> p.id().equals("spend")).findFirst().orElseThrow();
    Object command = pack.commands(new PackContext(dir, null, null)).getFirst();
    CommandLine cli = new CommandLine(command);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private static String fixture(String name) {
    return Path.of("src/test/resources/fixtures", name).toString();
  }

  @Test
  void analyze_writes_the_json_report_in_the_shape_the_issue_fixes() throws Exception {
    Result r = spend("analyze", fixture("usage.csv"), fixture("openai-usage.json"), "--format", "json", "--quiet");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode report = new ObjectMapper().readTree(r.out());
    JsonNode summary = report.path("summary");
    assertThat(summary.path("requests").asLong()).isEqualTo(3 + 15);
    assertThat(summary.path("inputTokens").asLong()).isEqualTo(1_000 + 10_000 + 100 + 10_000 + 5_000);
    assertThat(summary.path("outputTokens").isNumber()).isTrue();
    assertThat(summary.path("totalCostUsd").decimalValue()).isEqualByComparingTo("0.068675");
    assertThat(summary.path("period").path("start").asText()).isEqualTo("2026-01-01T00:00:00Z");
    JsonNode byModel = report.path("breakdowns").path("byModel").path(0);
    assertThat(byModel.fieldNames()).toIterable().contains("provider", "model", "requests", "inputTokens", "outputTokens", "costUsd");
    assertThat(report.path("findings").isArray()).isTrue();
    assertThat(report.path("unpriced").path(0).path("model").asText()).isEqualTo("llama-local");
    assertThat(report.path("warnings").isArray()).isTrue();
    assertThat(report.path("badRows").path("count").asLong()).isEqualTo(3);
  }

  @Test
  void analyze_writes_markdown_and_html_reports_to_a_file() throws Exception {
    Path md = dir.resolve("report.md");
    Result r = spend("analyze", fixture("litellm-spendlogs.csv"), "--out", md.toString(), "--quiet");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("wrote " + md);
    assertThat(Files.readString(md)).contains("# LLM spend report", "| Total cost | $0.028 |", "openai | gpt-4o");
    Path html = dir.resolve("report.html");
    assertThat(spend("analyze", fixture("litellm-spendlogs.csv"), "--format", "html", "--out", html.toString(), "-q").exit()).isZero();
    assertThat(Files.readString(html)).startsWith("<!doctype html>").contains("<table>", "<td>gpt-4o</td>");
  }

  @Test
  void analyze_shows_a_progress_bar_unless_quiet() {
    Result r = spend("analyze", fixture("usage.csv"), "--format", "json");
    assertThat(r.exit()).isZero();
  }

  @Test
  void a_missing_file_or_a_bad_format_is_a_message_not_a_stack_trace() {
    Result missing = spend("analyze", dir.resolve("nope.csv").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.csv does not exist").doesNotContain("Exception");
    Result format = spend("analyze", fixture("usage.csv"), "--format", "pdf");
    assertThat(format.exit()).isEqualTo(2);
    assertThat(format.err()).contains("use md, html or json");
  }

  @Test
  void prices_lists_and_searches_the_catalog_with_its_sources() {
    Result r = spend("prices", "gpt-4o-mini", "--provider", "openai");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("genai-prices 2026-08-21 (MIT)", "litellm 2026-07-24 (MIT)").containsPattern("openai +gpt-4o-mini +0\\.15 +0\\.6");
  }

  @Test
  void catalog_ranks_models_by_what_the_users_own_workload_would_cost() throws Exception {
    Result r = spend("catalog", "--min-context", "128k", "--tools", "--max-input-price", "1.0", "--workload", fixture("usage.csv"), "--json", "--limit", "5");
    assertThat(r.exit()).as(r.err()).isZero();
    // every row counts, the unpriced llama-local one (100 input tokens) too
    assertThat(r.err()).contains("workload: 11,100 input tokens (5,800 cache reads, 2,000 cache writes), 610 output tokens in 3 requests");
    JsonNode models = new ObjectMapper().readTree(r.out()).path("models");
    assertThat(models).hasSize(5);
    for (JsonNode m : models) {
      assertThat(m.path("contextWindow").asLong()).isGreaterThanOrEqualTo(128_000);
      assertThat(m.path("tools").asBoolean()).isTrue();
      assertThat(m.path("inputPerMillion").decimalValue()).isLessThanOrEqualTo(java.math.BigDecimal.ONE);
      assertThat(m.has("workloadCostUsd")).isTrue();
    }
    assertThat(models.get(0).path("workloadCostUsd").decimalValue()).isLessThanOrEqualTo(models.get(4).path("workloadCostUsd").decimalValue());
  }
}
