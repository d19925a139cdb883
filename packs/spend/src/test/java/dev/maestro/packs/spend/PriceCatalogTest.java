package dev.maestro.packs.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.model.Usage;
import dev.maestro.packs.spend.internal.CatalogBuilder;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceCatalogTest {

  static final PriceCatalog CATALOG = PriceCatalog.builtIn();

  private static BigDecimal cost(String provider, String model, TokenUsage usage) {
    return CATALOG.price(provider, model, usage).orElseThrow();
  }

  @Test
  void gpt_4o_thousand_input_and_hundred_output_tokens_cost_three_and_a_half_tenths_of_a_cent() {
    // $2.50 per million input, $10 per million output: 1000 x 2.5e-6 + 100 x 1e-5 = 0.0025 + 0.001
    assertThat(cost("openai", "gpt-4o", TokenUsage.of(1_000, 100))).isEqualByComparingTo("0.0035");
  }

  @Test
  void cached_input_tokens_are_charged_at_the_cache_read_price() {
    // 1000 input of which 800 cached: 200 x 2.5 + 800 x 1.25 + 100 x 10 = 2500 micro-dollars-per-million
    assertThat(cost("openai", "gpt-4o-2024-08-06", TokenUsage.cached(1_000, 100, 800))).isEqualByComparingTo("0.0025");
  }

  @Test
  void batch_requests_are_charged_at_the_batch_price() {
    assertThat(cost("openai", "gpt-4o", TokenUsage.of(1_000, 100).asBatch())).isEqualByComparingTo("0.00175");
    // Anthropic's Message Batches API: half price, from the provider's documented discount
    assertThat(cost("anthropic", "claude-sonnet-4-5", TokenUsage.of(100_000, 0).asBatch())).isEqualByComparingTo("0.15");
    // above the long-context threshold the batch price scales with the tier: 1M x 1.5 x 6/3
    assertThat(cost("anthropic", "claude-sonnet-4-5", TokenUsage.of(1_000_000, 0).asBatch())).isEqualByComparingTo("3");
  }

  @Test
  void cache_writes_cost_the_write_price_and_one_hour_writes_more() {
    // Sonnet 4.5: input 3, cache write 3.75 (5 min) / 6 (1 h), cache read 0.3, output 15 per million.
    // 10,000 input = 3,000 uncached + 2,000 written + 5,000 read; 500 output.
    TokenUsage fiveMinutes = new TokenUsage(10_000, 500, 5_000, 2_000, 0, 1, false);
    assertThat(cost("anthropic", "claude-sonnet-4-5-20250929", fiveMinutes)).isEqualByComparingTo("0.0255");
    TokenUsage oneHour = new TokenUsage(10_000, 500, 5_000, 2_000, 2_000, 1, false);
    assertThat(cost("anthropic", "claude-sonnet-4-5-20250929", oneHour)).isEqualByComparingTo("0.03");
  }

  @Test
  void a_request_above_the_long_context_threshold_pays_the_tier_price_on_every_token() {
    // Sonnet 4.5 above 200k input tokens: input 6, output 22.5 per million (Anthropic long-context pricing)
    assertThat(cost("anthropic", "claude-sonnet-4-5", TokenUsage.of(250_000, 1_000))).isEqualByComparingTo("1.5225");
    assertThat(cost("anthropic", "claude-sonnet-4-5", TokenUsage.of(200_000, 1_000))).isEqualByComparingTo("0.615");
    // aggregated usage: the tier is chosen from the input per request (2 requests of 150k each)
    assertThat(cost("anthropic", "claude-sonnet-4-5", new TokenUsage(300_000, 0, 0, 0, 0, 2, false))).isEqualByComparingTo("0.9");
  }

  @Test
  void dated_prices_apply_from_their_start_date() {
    // Claude Sonnet 5: introductory $2/$10 until 2026-08-31, $3/$15 from 2026-09-01
    TokenUsage million = TokenUsage.of(1_000_000, 0);
    assertThat(CATALOG.price("anthropic", "claude-sonnet-5", million, LocalDate.parse("2026-08-31")).orElseThrow()).isEqualByComparingTo("2");
    assertThat(CATALOG.price("anthropic", "claude-sonnet-5", million, LocalDate.parse("2026-09-01")).orElseThrow()).isEqualByComparingTo("3");
  }

  @Test
  void an_unknown_model_has_no_price_rather_than_a_zero_price() {
    assertThat(CATALOG.price("openai", "gpt-imaginary-9", TokenUsage.of(1_000, 100))).isEmpty();
    assertThat(CATALOG.price("my-gpu-box", "llama-local", TokenUsage.of(1_000, 100))).isEmpty();
  }

  @Test
  void providers_are_recognised_however_they_are_written_or_inferred_from_the_model() {
    assertThat(CATALOG.find(null, "claude-3-5-sonnet-20241022").orElseThrow().provider()).isEqualTo("anthropic");
    assertThat(CATALOG.find("OpenAI", "openai/gpt-4o").orElseThrow().model()).isEqualTo("gpt-4o");
    assertThat(CATALOG.find("aws.bedrock", "anthropic.claude-3-5-sonnet-20240620-v1:0")).isPresent();
    assertThat(CATALOG.find("gcp.vertex_ai", "gemini-2.5-pro").orElseThrow().provider()).isEqualTo("google");
    assertThat(CATALOG.canonicalProvider("together_ai")).isEqualTo("together");
  }

  @Test
  void the_engine_usage_record_is_priced_with_its_cached_tokens_inside_the_input() {
    assertThat(CATALOG.price("openai", "gpt-4o", new Usage(1_000, 100, 800)).orElseThrow()).isEqualByComparingTo("0.0025");
  }

  @Test
  void catalog_entries_carry_context_windows_capabilities_and_sources() {
    ModelPrice gpt4o = CATALOG.find("openai", "gpt-4o").orElseThrow();
    assertThat(gpt4o.contextWindow()).isEqualTo(128_000L);
    assertThat(gpt4o.capabilities().tools()).isTrue();
    assertThat(gpt4o.source()).isEqualTo("genai-prices");
    assertThat(CATALOG.sources()).extracting(PriceCatalog.Source::name).containsExactly("genai-prices", "litellm");
    assertThat(CATALOG.sources()).allSatisfy(s -> assertThat(s.licence()).isEqualTo("MIT"));
    assertThat(CATALOG.models()).hasSizeGreaterThan(2_000);
  }

  @Test
  void overrides_replace_catalog_prices_and_price_self_hosted_models_per_gpu_hour(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("prices.yaml");
    Files.writeString(yaml, """
        models:
          - provider: openai
            model: gpt-4o
            input: 2.0
            output: 8.0
          - provider: self-hosted
            model: llama-3.1-70b-instruct
            gpu_hour: 2.50
            gpus: 2
            tokens_per_second: 2400
            context_window: 131072
        """);
    PriceCatalog catalog = CATALOG.withOverrides(yaml);
    assertThat(catalog.price("openai", "gpt-4o", TokenUsage.of(1_000, 100)).orElseThrow()).isEqualByComparingTo("0.0028");
    // $5 per hour for 2,400 x 3,600 = 8.64 million tokens: $0.578704 per million (rounded to 6 decimals)
    assertThat(catalog.price("self-hosted", "llama-3.1-70b-instruct", TokenUsage.of(1_000_000, 0)).orElseThrow()).isEqualByComparingTo("0.578704");
    assertThat(catalog.sources()).extracting(PriceCatalog.Source::name).contains("override");
  }

  @Test
  void a_bad_override_file_names_the_entry_and_the_field(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("prices.yaml");
    Files.writeString(yaml, "models:\n  - provider: openai\n    model: gpt-4o\n    input: cheap\n    output: 8\n");
    assertThatThrownBy(() -> CATALOG.withOverrides(yaml)).isInstanceOf(InvalidInputException.class).hasMessageContaining("models[0]")
        .hasMessageContaining("'input' is 'cheap'");
    assertThatThrownBy(() -> CATALOG.withOverrides(dir.resolve("missing.yaml"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void cached_tokens_beyond_the_input_are_refused() {
    assertThatThrownBy(() -> TokenUsage.cached(100, 10, 200)).isInstanceOf(InvalidInputException.class).hasMessageContaining("exceed the input");
  }

  @Test
  void search_filters_by_context_tools_and_price_and_ranks_by_the_workload_cost() {
    var results = CATALOG.search(CatalogQuery.chat().withMinContext(128_000).withTools(true).withMaxInputPrice(new BigDecimal("1.0"))
        .withWorkload(TokenUsage.of(10_000_000, 1_000_000)).withLimit(50));
    assertThat(results).isNotEmpty().allSatisfy(r -> {
      assertThat(r.model().contextWindow()).isGreaterThanOrEqualTo(128_000);
      assertThat(r.model().capabilities().tools()).isTrue();
      assertThat(r.model().prices().input()).isLessThanOrEqualTo(new BigDecimal("1.0"));
    });
    assertThat(results).extracting(PriceCatalog.Ranked::workloadCostUsd).isSorted();
  }

  @Test
  void the_shipped_catalog_is_what_the_builder_makes_from_the_sources() throws Exception {
    Path pricing = SharedData.pricing();
    String rebuilt = CatalogBuilder.build(pricing.resolve("genai-prices-data.json"), pricing.resolve("litellm-model-prices.json"));
    String shipped = new String(PriceCatalog.class.getResourceAsStream("/dev/maestro/packs/spend/catalog.json").readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8);
    assertThat(rebuilt).isEqualTo(shipped);
  }
}
