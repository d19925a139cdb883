package dev.maestro.packs.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.packs.spend.internal.Problems;
import dev.maestro.packs.spend.internal.UsageReaders;
import dev.maestro.packs.spend.internal.UsageRow;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each input format, read from the fixtures in src/test/resources/fixtures (see the README there). */
class UsageFormatsTest {

  record Read(UsageFormat format, List<UsageRow> rows, Problems problems) {}

  static Path fixture(String name) {
    return Path.of("src/test/resources/fixtures", name);
  }

  static Read read(String name) throws Exception {
    List<UsageRow> rows = new ArrayList<>();
    Problems problems = new Problems();
    try (InputStream in = Files.newInputStream(fixture(name))) {
      UsageFormat f = UsageReaders.read(name, in, null, rows::add, problems);
      return new Read(f, rows, problems);
    }
  }

  static SpendReport analyse(Path... files) {
    try (SpendAnalysis analysis = new SpendAnalysis(PriceCatalogTest.CATALOG)) {
      for (Path f : files) {
        analysis.importFile(f, null, null);
      }
      return analysis.report(AnalysisOptions.DEFAULT);
    }
  }

  @Test
  void openai_usage_buckets_keep_cached_tokens_inside_the_input() throws Exception {
    Read r = read("openai-usage.json");
    assertThat(r.format()).isEqualTo(UsageFormat.OPENAI_USAGE);
    UsageRow first = r.rows().getFirst();
    assertThat(first.input()).isEqualTo(10_000);
    assertThat(first.cacheRead()).isEqualTo(4_000);
    assertThat(first.requests()).isEqualTo(10);
    assertThat(r.rows().get(1).batch()).isTrue();
    assertThat(r.problems().badRows()).isEqualTo(1);
    assertThat(r.problems().firstBadRows().getFirst().toString()).contains("openai-usage.json:4", "data[0].results[2]", "group_by=model");
    // 6,000 x 2.5 + 4,000 x 1.25 + 2,000 x 10 = $0.04; batch gpt-4o-mini: 5,000 x 0.075 + 1,000 x 0.3 = $0.000675
    assertThat(analyse(fixture("openai-usage.json")).summary().totalCostUsd()).isEqualByComparingTo("0.040675");
  }

  @Test
  void anthropic_uncached_input_gets_cache_reads_and_writes_added() throws Exception {
    Read r = read("anthropic-usage.json");
    assertThat(r.format()).isEqualTo(UsageFormat.ANTHROPIC_USAGE);
    UsageRow first = r.rows().getFirst();
    assertThat(first.input()).isEqualTo(3_000 + 5_000 + 2_000 + 1_000);
    assertThat(first.cacheRead()).isEqualTo(5_000);
    assertThat(first.cacheWrite()).isEqualTo(3_000);
    assertThat(first.cacheWrite1h()).isEqualTo(1_000);
    assertThat(r.problems().warnings()).anyMatch(w -> w.contains("no request counts"));
    // 3,000 x 3 + 5,000 x 0.3 + 2,000 x 3.75 + 1,000 x 6 + 500 x 15 = $0.0315;
    // the 200k-1M bucket at the long-context tier: 250,000 x 6 + 1,000 x 22.5 = $1.5225
    assertThat(analyse(fixture("anthropic-usage.json")).summary().totalCostUsd()).isEqualByComparingTo("1.554");
  }

  @Test
  void litellm_spend_logs_as_csv_and_json_give_the_same_rows() throws Exception {
    Read csv = read("litellm-spendlogs.csv");
    Read json = read("litellm-spendlogs.json");
    assertThat(csv.format()).isEqualTo(UsageFormat.LITELLM);
    assertThat(json.format()).isEqualTo(UsageFormat.LITELLM);
    for (Read r : List.of(csv, json)) {
      assertThat(r.rows()).hasSize(2);
      UsageRow gpt = r.rows().get(0);
      assertThat(gpt.input()).isEqualTo(1_000);
      assertThat(gpt.cacheRead()).isEqualTo(800);
      assertThat(gpt.latencyMs()).isEqualTo(1_500);
      assertThat(gpt.user()).isEqualTo("alice");
      assertThat(gpt.tag()).isEqualTo("chat");
      UsageRow claude = r.rows().get(1);
      assertThat(claude.input()).isEqualTo(10_000); // LiteLLM already adds Anthropic's cache tokens to prompt_tokens
      assertThat(claude.cacheRead()).isEqualTo(5_000);
      assertThat(claude.cacheWrite()).isEqualTo(2_000);
      assertThat(claude.error()).isTrue();
      assertThat(r.problems().badRows()).isEqualTo(1);
    }
    assertThat(csv.problems().firstBadRows().getFirst().toString()).contains("litellm-spendlogs.csv:4", "prompt_tokens is 'abc'");
    assertThat(json.problems().firstBadRows().getFirst().toString()).contains("litellm-spendlogs.json:10", "model is empty");
    assertThat(analyse(fixture("litellm-spendlogs.csv")).summary().totalCostUsd()).isEqualByComparingTo("0.028");
  }

  @Test
  void langfuse_usage_details_are_disjoint_parts_of_the_input() throws Exception {
    Read r = read("langfuse-observations.json");
    assertThat(r.format()).isEqualTo(UsageFormat.LANGFUSE);
    assertThat(r.rows()).hasSize(2); // the SPAN is not a model call
    assertThat(r.rows().get(0).input()).isEqualTo(1_000);
    assertThat(r.rows().get(0).cacheRead()).isEqualTo(800);
    assertThat(r.rows().get(1).input()).isEqualTo(10_000);
    assertThat(r.rows().get(1).cacheWrite()).isEqualTo(2_000);
    assertThat(r.rows().get(1).error()).isTrue();
    assertThat(r.problems().firstBadRows().getFirst().toString()).contains("langfuse-observations.json:9", "obs-4", "startTime is 'yesterday'");
    assertThat(analyse(fixture("langfuse-observations.json")).summary().totalCostUsd()).isEqualByComparingTo("0.028");
  }

  @Test
  void otel_spans_follow_the_semantic_conventions_and_refuse_inputs_smaller_than_their_cache_reads() throws Exception {
    Read r = read("otel-spans.json");
    assertThat(r.format()).isEqualTo(UsageFormat.OTEL);
    assertThat(r.rows()).hasSize(1); // the tool span is skipped, the third span is bad
    UsageRow chat = r.rows().getFirst();
    assertThat(chat.provider()).isEqualTo("openai");
    assertThat(chat.input()).isEqualTo(1_000);
    assertThat(chat.cacheRead()).isEqualTo(800);
    assertThat(chat.latencyMs()).isEqualTo(1_200);
    assertThat(chat.project()).isEqualTo("support-bot");
    assertThat(r.problems().firstBadRows().getFirst().toString()).contains("otel-spans.json:2", "spans[2]", "exceed gen_ai.usage.input_tokens");
    assertThat(analyse(fixture("otel-spans.json")).summary().totalCostUsd()).isEqualByComparingTo("0.0025");
  }

  @Test
  void the_generic_csv_counts_cache_tokens_inside_the_input_and_reports_bad_rows_by_line() throws Exception {
    Read r = read("usage.csv");
    assertThat(r.format()).isEqualTo(UsageFormat.CSV);
    assertThat(r.rows()).hasSize(3);
    assertThat(r.rows().get(1).line()).isEqualTo(4); // the first row's prompt spans lines 2 and 3
    assertThat(r.problems().firstBadRows()).extracting(Problems.BadRow::line).containsExactly(5L, 6L);
    assertThat(r.problems().firstBadRows().get(0).reason()).contains("input_tokens is -5");
    assertThat(r.problems().firstBadRows().get(1).reason()).contains("exceed input_tokens");
    SpendReport report = analyse(fixture("usage.csv"));
    assertThat(report.summary().totalCostUsd()).isEqualByComparingTo("0.028");
    assertThat(report.unpriced()).singleElement().satisfies(u -> {
      assertThat(u.model()).isEqualTo("llama-local");
      assertThat(u.rows()).isEqualTo(1);
    });
    assertThat(report.badRows().count()).isEqualTo(2);
    assertThat(report.badRows().first()).anyMatch(s -> s.startsWith(fixture("usage.csv") + ":5"));
  }

  @Test
  void gzip_compressed_exports_are_read_and_unknown_formats_refused(@TempDir Path dir) throws Exception {
    Path gz = dir.resolve("usage.csv.gz");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(Files.readAllBytes(fixture("usage.csv")));
    }
    Files.write(gz, bytes.toByteArray());
    assertThat(analyse(gz).summary().totalCostUsd()).isEqualByComparingTo("0.028");

    Path other = dir.resolve("other.csv");
    Files.writeString(other, "name,value\na,1\n");
    assertThatThrownBy(() -> analyse(other)).isInstanceOf(InvalidInputException.class).hasMessageContaining("cannot tell the format")
        .hasMessageContaining("--format");
  }

  @Test
  void each_row_is_priced_at_the_prices_in_force_on_its_day(@TempDir Path dir) throws Exception {
    // Claude Sonnet 5: introductory $2 per million input until 2026-08-31, $3 from 2026-09-01
    Path csv = Files.writeString(dir.resolve("sonnet5.csv"), """
        timestamp,provider,model,input_tokens,output_tokens
        2026-08-31T23:59:59Z,anthropic,claude-sonnet-5,1000000,0
        2026-09-01T00:00:00Z,anthropic,claude-sonnet-5,1000000,0
        """);
    SpendReport report = analyse(csv);
    assertThat(report.summary().totalCostUsd()).isEqualByComparingTo("5");
    assertThat(report.breakdowns().byDay()).extracting(SpendReport.Group::costUsd).usingElementComparator(java.math.BigDecimal::compareTo)
        .containsExactly(new java.math.BigDecimal("2"), new java.math.BigDecimal("3"));
  }
}
