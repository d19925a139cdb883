package dev.maestro.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.LimitExceededException;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.model.Pricing;
import dev.maestro.engine.model.ReplayChatModel;
import dev.maestro.engine.model.ReplayChatModel.Call;
import dev.maestro.engine.model.ReplayChatModel.Turn;
import dev.maestro.engine.run.ApprovalsTest.MutableClock;
import dev.maestro.engine.run.RunEvent.SafetyDecided;
import dev.maestro.engine.run.RunEvent.ToolCallFailed;
import dev.maestro.engine.safety.Action;
import dev.maestro.engine.safety.Policies;
import dev.maestro.engine.safety.SafetyEngine;
import dev.maestro.engine.safety.SafetySettings;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.ToolRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rate limits per agent and tool, and quotas per agent, set by policies. */
class QuotasTest {
  private final InMemoryRunStore store = new InMemoryRunStore();
  private final CountingTool echo = new CountingTool("echo");
  private final CountingTool risky = new CountingTool("risky", RiskLevel.HIGH, false, Duration.ofSeconds(5));
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private Pricing pricing = Pricing.NONE;

  private RunEngine engine(String policies, List<Turn> turns) {
    var safety = new SafetyEngine(SafetySettings.DEFAULT, Policies.parse(policies, "test"));
    ReplayChatModel model = ReplayChatModel.of(turns);
    return RunEngine.builder().store(store).tools(new ToolRegistry(List.of(echo, risky))).models(model::resolved)
        .clock(clock).safety(() -> safety).pricing(pricing).build();
  }

  private static AgentSpec agent() {
    return new AgentSpec("ops", null, null, null, "replay:x", "", List.of("echo", "risky"), null);
  }

  private static Turn echo(String text) {
    return new Turn(null, List.of(new Call(null, "echo", Json.tree("{\"text\":\"" + text + "\"}"))), 10, 5, 0, 0);
  }

  @Test
  void a_rate_limit_refuses_calls_beyond_it_until_the_window_moves_on() {
    String policy = """
        id: echo-rate
        match: {agents: [ops], tools: [echo]}
        set: {rate_limit: {calls: 2, window: 1m}}
        """;
    var turns = new ArrayList<>(List.of(echo("a"), echo("b"), echo("c"), Turn.text("Final Answer: done")));
    try (var engine = engine(policy, turns)) {
      Run run = engine.start(agent(), "go", RunOptions.DEFAULT).await();

      assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(echo.calls).extracting(a -> a.path("text").asText()).containsExactly("a", "b");
      List<RunEvent> events = store.events(run.id(), 0).stream().map(RecordedEvent::event).toList();
      assertThat(events).filteredOn(ToolCallFailed.class::isInstance).singleElement()
          .satisfies(e -> assertThat(((ToolCallFailed) e).error()).contains("rate limit of policy echo-rate", "at most 2 times per 1m"));
      assertThat(events).filteredOn(SafetyDecided.class::isInstance).map(e -> ((SafetyDecided) e).action())
          .containsExactly(Action.ALLOW, Action.ALLOW, Action.BLOCK);
    }
    clock.advance(Duration.ofSeconds(61));
    try (var engine = engine(policy, List.of(echo("d"), Turn.text("Final Answer: done")))) {
      engine.start(agent(), "go", RunOptions.DEFAULT).await();
      assertThat(echo.calls).extracting(a -> a.path("text").asText()).containsExactly("a", "b", "d");
    }
  }

  @Test
  void a_concurrency_quota_refuses_to_start_another_run_while_one_is_unfinished() {
    String policy = """
        id: one-at-a-time
        match: {agents: [ops]}
        set: {quota: {concurrent_runs: 1}}
        """;
    var turns = List.of(new Turn(null, List.of(new Call("c1", "risky", Json.tree("{\"text\":\"x\"}"))), 1, 1, 0, 0),
        Turn.text("Final Answer: done"));
    try (var engine = engine(policy, turns)) {
      Run waiting = engine.start(agent(), "go", RunOptions.DEFAULT).await();
      assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_APPROVAL);

      assertThatThrownBy(() -> engine.start(agent(), "again", RunOptions.DEFAULT)).isInstanceOf(LimitExceededException.class)
          .hasMessageContaining("one-at-a-time").hasMessageContaining("1 unfinished runs at once");

      engine.cancel(waiting.id(), "make room");
      assertThat(engine.start(agent(), "again", RunOptions.DEFAULT).runId()).isNotBlank();
    }
  }

  @Test
  void a_token_quota_stops_the_run_that_crosses_it_and_refuses_new_ones_until_the_next_day() {
    String policy = """
        id: daily-tokens
        match: {agents: [ops]}
        set: {quota: {tokens_per_day: 20}}
        """;
    try (var engine = engine(policy, List.of(echo("a"), echo("b"), Turn.text("Final Answer: done")))) {
      Run run = engine.start(agent(), "go", RunOptions.DEFAULT).await();

      assertThat(run.status()).isEqualTo(RunStatus.FAILED);
      assertThat(run.error()).contains("daily-tokens", "20 tokens a day", "used 30");
      assertThat(echo.calls).hasSize(2);
      assertThatThrownBy(() -> engine.start(agent(), "more", RunOptions.DEFAULT)).isInstanceOf(LimitExceededException.class)
          .hasMessageContaining("daily-tokens");
      clock.advance(Duration.ofDays(1));
      assertThat(engine.start(agent(), "tomorrow", RunOptions.DEFAULT).runId()).isNotBlank();
    }
  }

  @Test
  void a_cost_quota_counts_what_the_models_used_cost() {
    pricing = (model, usage) -> Optional.of(BigDecimal.valueOf(usage.inputTokens() + usage.outputTokens()).movePointLeft(2));
    String policy = """
        id: daily-dollars
        match: {agents: ["o*"]}
        set: {quota: {cost_per_day: 0.25}}
        """;
    try (var engine = engine(policy, List.of(echo("a"), echo("b"), Turn.text("Final Answer: done")))) {
      Run first = engine.start(agent(), "go", RunOptions.DEFAULT).await(); // two turns of 15 tokens: $0.30
      assertThat(first.status()).isEqualTo(RunStatus.FAILED);
      assertThat(first.error()).contains("daily-dollars", "$0.25", "$0.3000");
      assertThatThrownBy(() -> engine.start(agent(), "more", RunOptions.DEFAULT)).isInstanceOf(LimitExceededException.class);
    }
  }
}
