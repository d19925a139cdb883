package dev.maestro.packs.spend;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each waste detector on data that has the problem and on data that does not. All rows fall on one day: savings x 30 a month. */
class DetectorsTest {
  @TempDir Path dir;

  private SpendReport analyse(UsageCsv csv) throws Exception {
    return analyse(csv, PriceCatalogTest.CATALOG, AnalysisOptions.DEFAULT);
  }

  private SpendReport analyse(UsageCsv csv, PriceCatalog catalog, AnalysisOptions options) throws Exception {
    try (SpendAnalysis a = new SpendAnalysis(catalog)) {
      a.importFile(csv.write(dir, "usage.csv"), null, null);
      return a.report(options);
    }
  }

  private static Optional<SpendReport.Finding> finding(SpendReport report, String detector) {
    return report.findings().stream().filter(f -> f.detector().equals(detector)).findFirst();
  }

  @Test
  void response_caching_counts_every_repeat_of_an_identical_prompt() throws Exception {
    UsageCsv csv = new UsageCsv();
    for (int i = 0; i < 10; i++) {
      csv.row("openai", "gpt-4o", 1_000, 100, 0, "ok", "faq", "same-question", null, null, 500);
    }
    SpendReport.Finding f = finding(analyse(csv), "response_caching").orElseThrow();
    // 9 repeats x $0.0035 = $0.0315 on one day, x 30
    assertThat(f.estimatedMonthlySavingsUsd()).isEqualByComparingTo("0.95");
    assertThat(f.savingsPercent()).isEqualByComparingTo("90.0");
    assertThat(f.evidence().getFirst()).contains("9 requests repeated");
  }

  @Test
  void response_caching_finds_nothing_when_every_prompt_differs() throws Exception {
    assertThat(finding(analyse(new UsageCsv().rows(10, "openai", "gpt-4o", 1_000, 100, "faq")), "response_caching")).isEmpty();
  }

  @Test
  void prompt_caching_prices_the_shared_prefix_at_the_cache_read_price() throws Exception {
    String prefix = "You are a support assistant. ".repeat(200); // 5,800 characters shared
    UsageCsv csv = new UsageCsv();
    for (int i = 0; i < 5; i++) {
      csv.row("openai", "gpt-4o", 2_000, 100, 0, "ok", "support", null, prefix + "question " + i, null, 500);
    }
    SpendReport.Finding f = finding(analyse(csv), "prompt_caching").orElseThrow();
    // 4 repeats x 1,024 tokens x ($2.50 - $1.25) per million = $0.00512 a day
    assertThat(f.estimatedMonthlySavingsUsd()).isEqualByComparingTo("0.15");
    assertThat(finding(analyse(csv), "response_caching")).isEmpty();
  }

  @Test
  void prompt_caching_finds_nothing_when_the_prefix_is_read_from_the_cache() throws Exception {
    String prefix = "You are a support assistant. ".repeat(200);
    UsageCsv csv = new UsageCsv();
    for (int i = 0; i < 5; i++) {
      csv.row("openai", "gpt-4o", 2_000, 100, 1_024, "ok", "support", null, prefix + "question " + i, null, 500);
    }
    assertThat(finding(analyse(csv), "prompt_caching")).isEmpty();
  }

  @Test
  void batch_api_saves_half_on_latency_tolerant_workloads() throws Exception {
    SpendReport report = analyse(new UsageCsv().rows(100, "openai", "gpt-4o", 1_000, 100, "nightly-eval"));
    SpendReport.Finding f = finding(report, "batch_api").orElseThrow();
    // 100 x $0.0035 = $0.35 a day; the batch API halves it
    assertThat(f.estimatedMonthlySavingsUsd()).isEqualByComparingTo("5.25");
    assertThat(f.savingsPercent()).isEqualByComparingTo("50.0");
    assertThat(f.evidence().getFirst()).contains("nightly-eval", "openai/gpt-4o");
  }

  @Test
  void batch_api_leaves_interactive_workloads_alone() throws Exception {
    assertThat(finding(analyse(new UsageCsv().rows(100, "openai", "gpt-4o", 1_000, 100, "chat")), "batch_api")).isEmpty();
  }

  @Test
  void model_downgrade_names_a_cheaper_model_of_the_same_provider_with_enough_context() throws Exception {
    SpendReport report = analyse(new UsageCsv().rows(200, "anthropic", "claude-sonnet-4-5", 500, 40, "classify"));
    SpendReport.Finding f = finding(report, "model_downgrade").orElseThrow();
    assertThat(f.estimatedMonthlySavingsUsd()).isPositive();
    assertThat(f.evidence().getFirst()).contains("anthropic/claude-sonnet-4-5", "would cost").containsPattern("anthropic/claude-[a-z0-9.-]*haiku");
  }

  @Test
  void model_downgrade_leaves_long_outputs_and_cheap_models_alone() throws Exception {
    assertThat(finding(analyse(new UsageCsv().rows(50, "anthropic", "claude-sonnet-4-5", 500, 2_000, "write")), "model_downgrade")).isEmpty();
    assertThat(finding(analyse(new UsageCsv().rows(50, "openai", "gpt-4o-mini", 500, 40, "classify")), "model_downgrade")).isEmpty();
  }

  @Test
  void provider_switch_finds_the_same_open_model_cheaper_elsewhere() throws Exception {
    SpendReport report = analyse(new UsageCsv().rows(100, "fireworks", "accounts/fireworks/models/llama-v3p3-70b-instruct", 3_000, 500, "rag"));
    SpendReport.Finding f = finding(report, "provider_switch").orElseThrow();
    assertThat(f.estimatedMonthlySavingsUsd()).isPositive();
    assertThat(f.evidence().getFirst()).contains("fireworks/").contains("the same model as").doesNotContain("the same model as fireworks/");
  }

  @Test
  void provider_switch_finds_nothing_when_the_model_is_nowhere_cheaper() throws Exception {
    assertThat(finding(analyse(new UsageCsv().rows(100, "openai", "gpt-4o", 3_000, 500, "rag")), "provider_switch")).isEmpty();
    // Cache writes: a provider listing no cache-write price is not cheaper, it is unknown (same list prices elsewhere)
    Path csv = dir.resolve("cached.csv");
    Files.writeString(csv, UsageCsv.HEADER + "\n" + "2026-01-05T09:00:00Z,anthropic,claude-sonnet-4-5,10000,500,5000,2000,900,ok,u,p,t,,,\n".repeat(20));
    try (SpendAnalysis a = new SpendAnalysis(PriceCatalogTest.CATALOG)) {
      a.importFile(csv, null, null);
      assertThat(finding(a.report(AnalysisOptions.DEFAULT), "provider_switch")).isEmpty();
    }
  }

  @Test
  void failed_requests_are_counted_with_their_billed_cost_and_retries() throws Exception {
    UsageCsv csv = new UsageCsv().rows(90, "openai", "gpt-4o", 1_000, 100, "chat");
    for (int i = 0; i < 10; i++) {
      csv.row("openai", "gpt-4o", 1_000, 100, 0, "error", "chat", "q" + i, null, null, 30_000);
      csv.row("openai", "gpt-4o", 1_000, 100, 0, "ok", "chat", "q" + i, null, null, 900);
    }
    SpendReport.Finding f = finding(analyse(csv), "failed_requests").orElseThrow();
    // 10 failures x $0.0035 = $0.035 a day
    assertThat(f.estimatedMonthlySavingsUsd()).isEqualByComparingTo("1.05");
    assertThat(f.evidence()).anyMatch(e -> e.contains("10 requests retried"));
  }

  @Test
  void failed_requests_finds_nothing_without_failures() throws Exception {
    assertThat(finding(analyse(new UsageCsv().rows(90, "openai", "gpt-4o", 1_000, 100, "chat")), "failed_requests")).isEmpty();
  }

  @Test
  void context_bloat_prices_the_excess_input_of_outliers_and_of_growing_conversations() throws Exception {
    UsageCsv csv = new UsageCsv().rows(40, "openai", "gpt-4o", 1_000, 100, "qa");
    for (int i = 0; i < 3; i++) {
      csv.row("openai", "gpt-4o", 21_000, 50, 0, "ok", "qa", "big" + i, null, null, 900);
    }
    SpendReport.Finding outliers = finding(analyse(csv), "context_bloat").orElseThrow();
    // 3 x (21,000 - 1,000 median) x $2.50 per million = $0.15 a day
    assertThat(outliers.estimatedMonthlySavingsUsd()).isEqualByComparingTo("4.50");

    UsageCsv conversation = new UsageCsv();
    for (int turn = 1; turn <= 6; turn++) {
      conversation.row("openai", "gpt-4o", 1_000L * turn, 100, 0, "ok", "chat", "t" + turn, null, "conv-1", 900);
    }
    SpendReport.Finding growing = finding(analyse(conversation), "context_bloat").orElseThrow();
    // beyond 2 x the first input: 1,000 + 2,000 + 3,000 + 4,000 tokens x $2.50 per million = $0.025 a day
    assertThat(growing.estimatedMonthlySavingsUsd()).isEqualByComparingTo("0.75");
    assertThat(growing.evidence().getFirst()).contains("1 conversations grew");
  }

  @Test
  void context_bloat_finds_nothing_in_uniform_requests() throws Exception {
    assertThat(finding(analyse(new UsageCsv().rows(60, "openai", "gpt-4o", 1_000, 100, "qa")), "context_bloat")).isEmpty();
  }

  @Test
  void kv_cache_sizes_a_self_hosted_deployment_and_prices_the_gpus_it_would_free() throws Exception {
    Path yaml = Files.writeString(dir.resolve("prices.yaml"), """
        models:
          - provider: vllm
            model: llama-3.1-70b-instruct
            gpu_hour: 2.00
            gpus: 4
            gpu_memory_gib: 80
            tokens_per_second: 5000
            context_window: 131072
        """);
    UsageCsv csv = new UsageCsv();
    for (int i = 0; i < 600; i++) {
      csv.at("2026-01-05T10:00:00Z").row("vllm", "llama-3.1-70b-instruct", 2_500, 300, 0, "ok", "chat", "k" + i, null, null, 10_000);
    }
    PriceCatalog catalog = PriceCatalogTest.CATALOG.withOverrides(yaml);
    SpendReport report = analyse(csv, catalog, AnalysisOptions.DEFAULT.withDeployments(AnalysisOptions.deploymentsIn(yaml)));
    SpendReport.Finding f = finding(report, "kv_cache").orElseThrow();
    // 600 requests in a minute x 10 s each = 100 in flight; 327,680 bytes per token; the 131,072 context needs 4,000 GiB,
    // a 4,096 limit (p99 is 2,800) 125 GiB, 62.5 GiB in fp8: 3 of 4 GPUs freed, 3 x $2 x 730 h = $4,380 a month
    assertThat(f.estimatedMonthlySavingsUsd()).isEqualByComparingTo("4380.00");
    assertThat(f.evidence().getFirst()).contains("327,680 bytes per token", "100 concurrent sequences", "3 of 4 GPUs");
  }

  @Test
  void kv_cache_finds_nothing_without_self_hosted_models() throws Exception {
    assertThat(finding(analyse(new UsageCsv().rows(60, "openai", "gpt-4o", 1_000, 100, "qa")), "kv_cache")).isEmpty();
  }

  @Test
  void the_report_totals_and_breakdowns_add_up() throws Exception {
    SpendReport report = analyse(new UsageCsv().rows(10, "openai", "gpt-4o", 1_000, 100, "a").rows(10, "openai", "gpt-4o-mini", 1_000, 100, "b"));
    // gpt-4o: 10 x $0.0035; gpt-4o-mini: 10 x (1,000 x 0.15 + 100 x 0.6) per million = 10 x $0.00021
    assertThat(report.summary().totalCostUsd()).isEqualByComparingTo("0.0371");
    assertThat(report.summary().requests()).isEqualTo(20);
    assertThat(report.breakdowns().byModel()).extracting(SpendReport.Group::model).containsExactly("gpt-4o", "gpt-4o-mini");
    assertThat(report.breakdowns().byModel().getFirst().costUsd()).isEqualByComparingTo("0.035");
    assertThat(report.breakdowns().byTag()).hasSize(2);
    assertThat(report.breakdowns().topRequests().getFirst().costUsd()).isEqualByComparingTo(new BigDecimal("0.0035"));
  }
}
