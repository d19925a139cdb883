package dev.maestro.engine.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.memory.MemorySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentSpecsTest {
  @TempDir Path dir;

  @Test
  void loads_yaml_with_defaults_and_friendly_durations() throws IOException {
    Path file = Files.writeString(dir.resolve("a.yaml"), """
        id: analyst
        model: openai:gpt-4o-mini
        tools: [read_file]
        limits:
          token_budget: 5000
          timeout: 90s
        """);
    AgentSpec spec = AgentSpecs.load(file);

    assertThat(spec.name()).isEqualTo("analyst");
    assertThat(spec.kind()).isEqualTo(AgentKind.REACT);
    assertThat(spec.tools()).containsExactly("read_file");
    assertThat(spec.limits()).isEqualTo(new Limits(10, 5000L, Duration.ofSeconds(90)));
  }

  @Test
  void loads_json_and_iso_durations() throws IOException {
    Path file = Files.writeString(dir.resolve("a.json"),
        "{\"id\":\"j\",\"model\":\"anthropic:claude-sonnet-4-5\",\"kind\":\"react\",\"limits\":{\"max_steps\":3,\"timeout\":\"PT2M\"}}");
    AgentSpec spec = AgentSpecs.load(file);
    assertThat(spec.limits().maxSteps()).isEqualTo(3);
    assertThat(spec.limits().timeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void resolves_a_replay_transcript_relative_to_the_agent_file() throws IOException {
    Path sub = Files.createDirectories(dir.resolve("agents"));
    Path file = Files.writeString(sub.resolve("a.yaml"), "id: r\nmodel: replay:t.jsonl\n");
    assertThat(AgentSpecs.load(file).model()).isEqualTo("replay:" + sub.toAbsolutePath().resolve("t.jsonl"));
  }

  @Test
  void an_agent_may_set_its_own_memory_use_and_leaves_the_rest_to_the_platform() {
    AgentSpec spec = AgentSpecs.parse("id: quiet\nmodel: openai:gpt-4o-mini\nmemory: {recall_limit: 0, episodic: false}\n", "a.yaml");
    assertThat(spec.memory()).isEqualTo(new AgentMemory(0, null, false));
    assertThat(MemorySettings.DEFAULT.of(spec)).isEqualTo(new MemorySettings(0, 500, false));
    assertThat(MemorySettings.DEFAULT.of(AgentSpecs.parse("id: plain\nmodel: openai:gpt-4o-mini\n", "b.yaml"))).isEqualTo(MemorySettings.DEFAULT);

    assertThatThrownBy(() -> AgentSpecs.parse("id: x\nmodel: openai:m\nmemory: {recall_limit: 500}\n", "c.yaml"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("c.yaml: memory recall_limit 500 is out of range; give 0 to 100");
    assertThatThrownBy(() -> AgentSpecs.parse("id: x\nmodel: openai:m\nmemory: {recall: 5}\n", "d.yaml"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("d.yaml: unknown field 'recall'");
  }

  @Test
  void loads_a_workflow_agent_without_a_model() {
    AgentSpec spec = AgentSpecs.parse("id: advisor\nkind: workflow\nworkflow: spark-advisor\ntools: [spark_summary]\n", "a.yaml");

    assertThat(spec.kind()).isEqualTo(AgentKind.WORKFLOW);
    assertThat(spec.workflow()).isEqualTo("spark-advisor");
    assertThat(spec.model()).isNull();
  }

  @Test
  void explains_what_is_wrong() throws IOException {
    assertThatThrownBy(() -> AgentSpecs.parse("id: a\nmodel: gpt4\n", "x.yaml"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'gpt4' is not provider:model");
    assertThatThrownBy(() -> AgentSpecs.parse("id: a\nmodel: openai:x\nlimits: {max_steps: 0}\n", "x.yaml"))
        .hasMessageContaining("limits.max_steps is 0");
    assertThatThrownBy(() -> AgentSpecs.parse("id: a\nmodel: openai:x\nlimits: {timeout: soon}\n", "x.yaml"))
        .hasMessageContaining("'soon' is not a duration");
    assertThatThrownBy(() -> AgentSpecs.parse("id: a\nmodel: openai:x\nkind: swarm\n", "x.yaml"))
        .hasMessageContaining("agent kind 'swarm' is not supported; use 'react' or 'workflow'");
    assertThatThrownBy(() -> AgentSpecs.parse("id: a\nkind: workflow\n", "x.yaml"))
        .hasMessageContaining("names no 'workflow'");
    assertThatThrownBy(() -> AgentSpecs.parse("id: a\nmodel: openai:x\nworkflow: w\n", "x.yaml"))
        .hasMessageContaining("set 'kind: workflow'");
    assertThatThrownBy(() -> AgentSpecs.parse("id: a\n", "x.yaml")).hasMessageContaining("has no 'model'");
    assertThatThrownBy(() -> AgentSpecs.parse("id: [unclosed\n", "x.yaml"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("x.yaml");
    assertThatThrownBy(() -> AgentSpecs.parse("", "x.yaml")).hasMessageContaining("x.yaml is empty");
  }

  @Test
  void lifecycle_create_pause_enable_delete() {
    var clock = java.time.Clock.fixed(java.time.Instant.parse("2026-01-01T00:00:00Z"), java.time.ZoneOffset.UTC);
    var agents = new Agents(new InMemoryAgentStore(), clock);
    var spec = new AgentSpec("a", null, null, null, "openai:x", null, List.of(), null);

    assertThat(agents.create(spec).status()).isEqualTo(AgentStatus.CREATED);
    assertThat(agents.runnable("a").id()).isEqualTo("a");
    agents.pause("a");
    assertThatThrownBy(() -> agents.runnable("a")).hasMessageContaining("paused");
    assertThat(agents.create(spec.withModel("openai:y")).status()).as("updating keeps the status").isEqualTo(AgentStatus.PAUSED);
    assertThat(agents.enable("a").spec().model()).isEqualTo("openai:y");
    agents.delete("a");
    assertThat(agents.list()).isEmpty();
    assertThatThrownBy(() -> agents.get("a")).hasMessageContaining("no agent 'a'");
    assertThat(agents.create(spec).status()).as("re-created after delete").isEqualTo(AgentStatus.CREATED);
  }
}
