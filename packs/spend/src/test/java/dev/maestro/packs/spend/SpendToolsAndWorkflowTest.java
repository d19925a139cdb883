package dev.maestro.packs.spend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.model.ReplayChatModel;
import dev.maestro.engine.pack.PackContext;
import dev.maestro.engine.run.InMemoryRunStore;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEngine;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunOptions;
import dev.maestro.engine.run.RunStatus;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.tool.ToolRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pack's tools as an agent calls them, and its workflow run by the engine as a normal run. */
class SpendToolsAndWorkflowTest {
  @TempDir Path workdir;
  private final SpendPack pack = new SpendPack();
  private List<Tool> tools;

  @BeforeEach
  void setUp() throws Exception {
    Files.copy(Path.of("src/test/resources/fixtures/usage.csv"), workdir.resolve("usage.csv"));
    tools = pack.tools(new PackContext(workdir, null, null));
  }

  private String call(String name, String args) {
    Tool tool = tools.stream().filter(t -> t.spec().name().equals(name)).findFirst().orElseThrow();
    return tool.call(Json.tree(args), new ToolContext("run-1", "agent-1", workdir));
  }

  @Test
  void the_pack_contributes_four_tools_a_workflow_and_an_agent() {
    assertThat(tools).extracting(t -> t.spec().name()).containsExactly("spend_summary", "spend_findings", "spend_price", "spend_catalog_search");
    assertThat(tools).allSatisfy(t -> assertThat(t.spec().idempotent()).isTrue());
    assertThat(pack.workflows()).extracting(w -> w.id()).containsExactly("spend-analysis");
    assertThat(pack.agents()).singleElement().satisfies(a -> assertThat(a.workflow()).isEqualTo("spend-analysis"));
  }

  @Test
  void spend_summary_returns_bounded_json_about_the_files() {
    JsonNode out = Json.tree(call("spend_summary", "{\"files\": [\"usage.csv\"]}"));
    assertThat(out.path("summary").path("totalCostUsd").decimalValue()).isEqualByComparingTo("0.028");
    assertThat(out.path("badRows").path("count").asLong()).isEqualTo(2);
    assertThat(out.path("unpriced").path(0).path("model").asText()).isEqualTo("llama-local");
  }

  @Test
  void spend_tools_refuse_files_outside_the_working_directory() {
    assertThatThrownBy(() -> call("spend_summary", "{\"files\": [\"../../etc/passwd\"]}")).isInstanceOf(ToolException.class)
        .hasMessageContaining("leaves the working directory");
    assertThatThrownBy(() -> call("spend_findings", "{\"files\": []}")).isInstanceOf(ToolException.class).hasMessageContaining("give 'files'");
  }

  @Test
  void spend_price_prices_exactly_and_reports_unknown_models() {
    JsonNode out = Json.tree(call("spend_price", "{\"model\": \"gpt-4o\", \"input_tokens\": 1000, \"output_tokens\": 100}"));
    assertThat(out.path("costUsd").asText()).isEqualTo("0.0035");
    assertThat(out.path("provider").asText()).isEqualTo("openai");
    assertThatThrownBy(() -> call("spend_price", "{\"model\": \"gpt-imaginary\", \"input_tokens\": 1, \"output_tokens\": 1}"))
        .isInstanceOf(ToolException.class).hasMessageContaining("no price for gpt-imaginary");
  }

  @Test
  void spend_catalog_search_ranks_by_workload_and_stays_bounded() {
    JsonNode out = Json.tree(call("spend_catalog_search", "{\"min_context\": 128000, \"tools\": true, \"input_tokens\": 1000000, \"output_tokens\": 100000, \"limit\": 50}"));
    assertThat(out.path("models")).hasSize(20);
    assertThat(out.path("models").get(0).path("workloadCostUsd").decimalValue()).isLessThanOrEqualTo(out.path("models").get(19).path("workloadCostUsd").decimalValue());
  }

  private RunEngine engine(InMemoryRunStore store, List<ReplayChatModel.Turn> turns) {
    ReplayChatModel model = ReplayChatModel.of(turns.isEmpty() ? List.of(ReplayChatModel.Turn.text("unused")) : turns);
    return RunEngine.builder().store(store).tools(new ToolRegistry(tools)).models(model::resolved).workflows(pack.workflows()).build();
  }

  @Test
  void the_workflow_runs_without_a_model_as_a_recorded_deterministic_run() {
    InMemoryRunStore store = new InMemoryRunStore();
    AgentSpec agent = pack.agents().getFirst();
    try (RunEngine engine = engine(store, List.of())) {
      Run first = engine.start(agent, "usage.csv", new RunOptions(null, workdir)).await();
      assertThat(first.status()).as(first.error()).isEqualTo(RunStatus.COMPLETED);
      assertThat(first.output()).contains("# LLM spend analysis", "Cost: $0.028", "Most expensive model: anthropic/claude-sonnet-4-5", "llama-local")
          .doesNotContain("## Summary");
      List<String> tools = store.events(first.id(), 0).stream().map(RecordedEvent::event).filter(e -> e instanceof RunEvent.ToolCallRequested)
          .map(e -> ((RunEvent.ToolCallRequested) e).tool()).toList();
      assertThat(tools).containsExactly("spend_summary", "spend_findings", "spend_catalog_search");
      Run second = engine.start(agent, "usage.csv", new RunOptions(null, workdir)).await();
      assertThat(second.output()).isEqualTo(first.output());
    }
  }

  @Test
  void with_a_model_the_workflow_opens_with_a_narrative_summary() {
    InMemoryRunStore store = new InMemoryRunStore();
    AgentSpec agent = pack.agents().getFirst().withModel("replay:spend");
    try (RunEngine engine = engine(store, List.of(new ReplayChatModel.Turn("Spend was 2.8 cents; one model is unpriced.", null, 500, 20, 0, 0)))) {
      Run run = engine.start(agent, "{\"files\": [\"usage.csv\"]}", new RunOptions(null, workdir)).await();
      assertThat(run.status()).as(run.error()).isEqualTo(RunStatus.COMPLETED);
      assertThat(run.output()).startsWith("## Summary\n\nSpend was 2.8 cents; one model is unpriced.").contains("# LLM spend analysis");
    }
  }

  @Test
  void the_workflow_fails_with_a_message_when_a_file_is_missing() {
    InMemoryRunStore store = new InMemoryRunStore();
    try (RunEngine engine = engine(store, List.of())) {
      Run run = engine.start(pack.agents().getFirst(), "missing.csv", new RunOptions(null, workdir)).await();
      assertThat(run.status()).isEqualTo(RunStatus.FAILED);
      assertThat(run.error()).contains("spend_summary failed: there is no file 'missing.csv'");
    }
  }

  @Test
  void maestro_runs_are_read_as_usage_with_cached_tokens_inside_the_input() {
    InMemoryRunStore store = new InMemoryRunStore();
    Instant t = Instant.parse("2026-01-02T00:00:00Z");
    AgentSpec spec = new AgentSpec("helper", null, null, null, "openai:gpt-4o", null, null, null);
    store.append("r1", 0, t, List.of(new RunEvent.RunCreated("helper", spec, "hi", "openai:gpt-4o", "/tmp")));
    store.append("r1", 1, t, List.of(new RunEvent.RunStarted(false, "w"),
        new RunEvent.ModelCalled(1, "openai:gpt-4o", "hello", List.of(), 1_000, 100, 800, 1_200, "stop"),
        new RunEvent.ModelCalled(2, "replay:x.jsonl", "free", List.of(), 50, 5, 0, 1, "stop")));
    try (SpendAnalysis analysis = new SpendAnalysis(PriceCatalogTest.CATALOG)) {
      assertThat(analysis.importRuns(store, 100)).isEqualTo(1);
      SpendReport report = analysis.report(AnalysisOptions.DEFAULT);
      assertThat(report.summary().requests()).isEqualTo(1); // the replay call costs nothing and is left out
      assertThat(report.summary().totalCostUsd()).isEqualByComparingTo("0.0025");
      assertThat(report.breakdowns().byUser().getFirst().user()).isEqualTo("helper");
    }
  }
}
