package dev.maestro.packs.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maestro.engine.agent.AgentKind;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.model.ModelUnavailableException;
import dev.maestro.engine.pack.PackContext;
import dev.maestro.engine.run.InMemoryRunStore;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEngine;
import dev.maestro.engine.run.RunOptions;
import dev.maestro.engine.run.RunStatus;
import dev.maestro.engine.tool.ToolRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spark-advisor agent run by the engine as a normal, recorded run, without a model. */
class SparkAdvisorWorkflowTest {
  @TempDir
  Path dir;

  final InMemoryRunStore store = new InMemoryRunStore();

  RunEngine engine(SparkPack pack) {
    return RunEngine.builder().store(store).tools(new ToolRegistry(pack.tools(new PackContext(dir, null, null))))
        .models(ref -> {
          throw new ModelUnavailableException("no model in this test");
        })
        .workflows(pack.workflows()).build();
  }

  static AgentSpec advisor(SparkPack pack) {
    return pack.agents().stream().filter(a -> a.kind() == AgentKind.WORKFLOW).findFirst().orElseThrow();
  }

  @Test
  void diagnoses_a_log_step_by_step_and_records_every_step() {
    SparkPack pack = new SparkPack();
    Fixtures.write(dir, "app-1.snappy", Fixtures.compress(Fixtures.small(), "snappy"));
    try (RunEngine engine = engine(pack)) {
      Run run = engine.start(advisor(pack), "app-1.snappy", new RunOptions(null, dir)).await();
      assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(run.output()).startsWith("# Spark advisor: small (app-1)")
          .contains("## Partitions", "## Skew", "## Runtime", "## Cost", "## Recommendations", "Executors lost", "--conf spark.executor.memoryOverhead=");
      List<RecordedEvent> events = store.events(run.id(), 0);
      assertThat(events.stream().filter(e -> e.event().type().equals("tool_call_completed"))).hasSize(7);
      assertThat(events.stream().filter(e -> e.event().type().equals("thought"))).hasSize(6);

      // deterministic: the same log gives the same report
      Run again = engine.start(advisor(pack), "{\"path\":\"app-1.snappy\"}", new RunOptions(null, dir)).await();
      assertThat(again.output()).isEqualTo(run.output());
    }
  }

  @Test
  void a_missing_log_fails_the_run_with_a_message_a_person_can_act_on() {
    SparkPack pack = new SparkPack();
    try (RunEngine engine = engine(pack)) {
      Run run = engine.start(advisor(pack), "nowhere.zstd", new RunOptions(null, dir)).await();
      assertThat(run.status()).isEqualTo(RunStatus.FAILED);
      assertThat(run.error()).contains("no event log at 'nowhere.zstd'");
    }
  }

  @Test
  void the_react_agent_names_the_six_tools_and_a_model() {
    AgentSpec analyst = new SparkPack().agents().stream().filter(a -> a.kind() == AgentKind.REACT).findFirst().orElseThrow();
    assertThat(analyst.tools()).containsExactlyElementsOf(SparkTools.NAMES);
    assertThat(analyst.model()).isEqualTo("openai:gpt-4o-mini");
    assertThat(advisor(new SparkPack()).workflow()).isEqualTo("spark-advisor");
  }
}
