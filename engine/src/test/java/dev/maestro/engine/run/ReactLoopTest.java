package dev.maestro.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.agent.Limits;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.model.ModelRef;
import dev.maestro.engine.model.ModelUnavailableException;
import dev.maestro.engine.model.ReplayChatModel;
import dev.maestro.engine.model.ReplayChatModel.Call;
import dev.maestro.engine.model.ReplayChatModel.Turn;
import dev.maestro.engine.run.RunEvent.ModelCalled;
import dev.maestro.engine.run.RunEvent.RunFailed;
import dev.maestro.engine.run.RunEvent.ToolCallCompleted;
import dev.maestro.engine.run.RunEvent.ToolCallFailed;
import dev.maestro.engine.tool.ToolRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ReactLoopTest {
  private final InMemoryRunStore store = new InMemoryRunStore();
  private final CountingTool echo = new CountingTool("echo");
  private final List<RecordedEvent> heard = new CopyOnWriteArrayList<>();

  private RunEngine engine(List<Turn> turns) {
    ReplayChatModel model = ReplayChatModel.of(turns);
    return RunEngine.builder()
        .store(store)
        .tools(new ToolRegistry(List.of(echo)))
        .models(ref -> model.resolved(ref))
        .listener(heard::addAll)
        .build();
  }

  private static AgentSpec agent(Limits limits) {
    return new AgentSpec("tester", null, null, null, "replay:x", "Test agent.", List.of("echo"), limits);
  }

  private static Turn call(String text) {
    return new Turn(null, List.of(new Call(null, "echo", Json.tree("{\"text\":\"" + text + "\"}"))), 100, 10, 40, 0);
  }

  private static List<String> types(List<RecordedEvent> events) {
    return events.stream().map(e -> e.event().type()).toList();
  }

  @Test
  void replayed_agent_calls_tools_and_answers() {
    try (var engine = engine(List.of(call("a"), call("b"), new Turn("Both echoed. Final Answer: done", null, 50, 5, 0, 0)))) {
      Run run = engine.start(agent(null), "echo a then b", RunOptions.DEFAULT).await();

      assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(run.output()).isEqualTo("done");
      assertThat(run.steps()).isEqualTo(3);
      assertThat(run.toolCalls()).isEqualTo(2);
      assertThat(run.inputTokens()).isEqualTo(250);
      assertThat(run.outputTokens()).isEqualTo(25);
      assertThat(run.cachedTokens()).isEqualTo(80);
      assertThat(echo.calls).extracting(n -> n.path("text").asText()).containsExactly("a", "b");
      List<RecordedEvent> log = store.events(run.id(), 0);
      assertThat(types(log)).containsExactly(
          "run_created", "run_started",
          "model_called", "tool_call_requested", "safety_decision", "tool_call_started", "tool_call_completed",
          "model_called", "tool_call_requested", "safety_decision", "tool_call_started", "tool_call_completed",
          "model_called", "thought", "run_completed");
      assertThat(log).extracting(RecordedEvent::seq).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 15).boxed().toList());
      assertThat(heard).isEqualTo(log);
      assertThat(((ToolCallCompleted) log.get(6).event()).output()).isEqualTo("echo: a");
      assertThat(store.traces(run.id())).extracting(TraceEntry::kind).containsExactly(
          TraceEntry.Kind.ACTION, TraceEntry.Kind.OBSERVATION, TraceEntry.Kind.ACTION, TraceEntry.Kind.OBSERVATION,
          TraceEntry.Kind.THOUGHT, TraceEntry.Kind.ANSWER);
    }
  }

  @Test
  void text_protocol_turns_call_tools_and_the_observation_goes_back_to_the_model() {
    var turns = List.of(
        Turn.text("Thought: I should echo.\nAction: echo\nAction Input: {\"text\": \"hi\"}"),
        Turn.text("Thought: got it\nFinal Answer: it said hi"));
    try (var engine = engine(turns)) {
      Run run = engine.start(agent(null), "say hi", RunOptions.DEFAULT).await();

      assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(run.output()).isEqualTo("it said hi");
      assertThat(echo.calls).hasSize(1);
      var state = RunState.fold(store.events(run.id(), 0));
      var messages = Conversation.messages(state, Conversation.prefix(state, List.of(echo.spec()), true));
      assertThat(messages.get(messages.size() - 2)).isEqualTo(dev.langchain4j.data.message.UserMessage.from("Observation: echo: hi"));
    }
  }

  @Test
  void a_failing_or_unknown_tool_becomes_an_observation_and_the_run_goes_on() {
    var turns = List.of(
        call("fail"),
        Turn.call("nope", Json.tree("{}")),
        Turn.text("Final Answer: recovered"));
    try (var engine = engine(turns)) {
      Run run = engine.start(agent(null), "try", RunOptions.DEFAULT).await();

      assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
      var failures = store.events(run.id(), 0).stream().map(RecordedEvent::event)
          .filter(e -> e instanceof ToolCallFailed).map(e -> ((ToolCallFailed) e).error()).toList();
      assertThat(failures).containsExactly("asked to fail", "there is no tool 'nope'; use one of [echo]");
    }
  }

  @Test
  void stops_at_max_steps() {
    var turns = new ArrayList<Turn>();
    for (int i = 0; i < 5; i++) {
      turns.add(call("x" + i));
    }
    try (var engine = engine(turns)) {
      Run run = engine.start(agent(new Limits(3, null, null)), "loop", RunOptions.DEFAULT).await();

      assertThat(run.status()).isEqualTo(RunStatus.FAILED);
      assertThat(run.steps()).isEqualTo(3);
      assertThat(run.error()).contains("all 3 steps").contains("limits.max_steps");
      assertThat(echo.calls).hasSize(3);
    }
  }

  @Test
  void default_max_steps_is_ten() {
    var turns = new ArrayList<Turn>();
    for (int i = 0; i < 12; i++) {
      turns.add(call("x" + i));
    }
    try (var engine = engine(turns)) {
      Run run = engine.start(agent(null), "loop", RunOptions.DEFAULT).await();
      assertThat(run.steps()).isEqualTo(10);
      assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    }
  }

  @Test
  void stops_when_the_token_budget_is_spent_before_running_more_tools() {
    try (var engine = engine(List.of(call("a"), call("b"), Turn.text("Final Answer: never")))) {
      Run run = engine.start(agent(new Limits(null, 150L, null)), "spend", RunOptions.DEFAULT).await();

      assertThat(run.status()).isEqualTo(RunStatus.FAILED);
      assertThat(run.error()).contains("220 tokens").contains("budget of 150");
      assertThat(echo.calls).hasSize(1);
      var last = store.events(run.id(), 0).getLast().event();
      assertThat(last).isInstanceOf(RunFailed.class);
      assertThat(((RunFailed) last).code()).isEqualTo("token_budget");
    }
  }

  @Test
  void times_out_a_slow_model_call() {
    try (var engine = engine(List.of(new Turn("Final Answer: late", null, 0, 0, 0, 5_000)))) {
      long t0 = System.nanoTime();
      Run run = engine.start(agent(new Limits(null, null, Duration.ofMillis(300))), "wait", RunOptions.DEFAULT).await();

      assertThat(run.status()).isEqualTo(RunStatus.FAILED);
      assertThat(run.error()).contains("timeout of 300ms");
      assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(4_000);
    }
  }

  @Test
  void cancels_a_run_between_steps_and_during_a_tool_call() throws Exception {
    var slow = new Turn(null, List.of(new Call(null, "echo", Json.tree("{\"text\":\"s\",\"sleep_ms\":3000}"))), 0, 0, 0, 0);
    try (var engine = engine(List.of(slow, Turn.text("Final Answer: never")))) {
      RunHandle handle = engine.start(agent(null), "slow", RunOptions.DEFAULT);
      while (echo.calls.isEmpty()) {
        Thread.sleep(10);
      }
      engine.cancel(handle.runId(), "user changed their mind");
      Run run = handle.await();

      assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(run.error()).isEqualTo("user changed their mind");
      assertThat(types(store.events(run.id(), 0))).endsWith("tool_call_failed", "run_cancelled");
      assertThatThrownBy(() -> engine.cancel(run.id(), null)).isInstanceOf(ConflictException.class).hasMessageContaining("already cancelled");
    }
  }

  @Test
  void an_unavailable_model_fails_the_run_with_its_message() {
    try (var engine = RunEngine.builder().store(store).tools(new ToolRegistry(List.of(echo)))
        .models(ref -> {
          throw new ModelUnavailableException("OPENAI_API_KEY is not set; export it or use --model replay:FILE");
        }).build()) {
      Run run = engine.start(agent(null), "hi", RunOptions.DEFAULT).await();

      assertThat(run.status()).isEqualTo(RunStatus.FAILED);
      assertThat(run.error()).contains("OPENAI_API_KEY");
    }
  }

  @Test
  void an_agent_naming_an_unknown_tool_fails_with_the_known_ones() {
    try (var engine = engine(List.of(Turn.text("Final Answer: x")))) {
      var spec = new AgentSpec("tester", null, null, null, "replay:x", "", List.of("echo", "teleport"), null);
      Run run = engine.start(spec, "hi", RunOptions.DEFAULT).await();

      assertThat(run.status()).isEqualTo(RunStatus.FAILED);
      assertThat(run.error()).contains("teleport").contains("[echo]");
    }
  }

  @Test
  void refuses_an_empty_input() {
    try (var engine = engine(List.of(Turn.text("x")))) {
      assertThatThrownBy(() -> engine.start(agent(null), "  ", RunOptions.DEFAULT)).isInstanceOf(InvalidInputException.class);
    }
  }

  @Test
  void resume_reexecutes_an_interrupted_idempotent_call_but_not_a_non_idempotent_one() {
    var once = new CountingTool("once", false, Duration.ofSeconds(5));
    var turns = List.of(
        new Turn(null, List.of(new Call("c1", "echo", Json.tree("{\"text\":\"again\"}")), new Call("c2", "once", Json.tree("{\"text\":\"only\"}"))), 0, 0, 0, 0),
        Turn.text("Final Answer: resumed"));
    ReplayChatModel model = ReplayChatModel.of(turns);
    // A log as a crash leaves it: both calls started, neither finished.
    var spec = new AgentSpec("tester", null, null, null, "replay:x", "", List.of("echo", "once"), null);
    var t = java.time.Instant.parse("2026-01-01T00:00:00Z");
    store.append("r1", 0, t, List.of(new RunEvent.RunCreated("tester", spec, "go", "replay:x", "/tmp")));
    store.append("r1", 1, t, List.of(
        new RunEvent.RunStarted(false, "w"),
        new ModelCalled(1, "replay:x", null, List.of(), 1, 1, 0, 1, "tool_execution"),
        new RunEvent.ToolCallRequested(1, "c1", "echo", Json.tree("{\"text\":\"again\"}"), true),
        new RunEvent.ToolCallRequested(1, "c2", "once", Json.tree("{\"text\":\"only\"}"), true),
        new RunEvent.ToolCallStarted("c1", "echo")));
    store.append("r1", 6, t, List.of(new RunEvent.ToolCallCompleted("c1", "echo", "echo: again", 1), new RunEvent.ToolCallStarted("c2", "once")));

    try (var engine = RunEngine.builder().store(store).tools(new ToolRegistry(List.of(echo, once))).models(model::resolved).build()) {
      Run run = engine.resume("r1").await();

      assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(echo.calls).isEmpty(); // it had completed before the crash
      assertThat(once.calls).isEmpty(); // started, not idempotent: not repeated
      var log = store.events("r1", 0);
      var failed = log.stream().map(RecordedEvent::event).filter(e -> e instanceof ToolCallFailed).map(e -> (ToolCallFailed) e).toList();
      assertThat(failed).singleElement().satisfies(f -> {
        assertThat(f.callId()).isEqualTo("c2");
        assertThat(f.outcomeUnknown()).isTrue();
      });
      assertThat(log).extracting(RecordedEvent::seq).containsExactlyElementsOf(
          java.util.stream.LongStream.rangeClosed(1, log.size()).boxed().toList());
      assertThatThrownBy(() -> engine.resume("r1")).isInstanceOf(ConflictException.class);
    }
  }

  @Test
  void stores_only_outcomes_of_idempotent_calls_without_waiting_for_the_disk() {
    var once = new CountingTool("once", false, Duration.ofSeconds(5));
    var durabilities = new CopyOnWriteArrayList<String>();
    RunStore recording = new RunStore() {
      @Override
      public List<RecordedEvent> append(String runId, long last, java.time.Instant at, List<? extends RunEvent> events, Durability d) {
        durabilities.add(d + " " + events.stream().map(RunEvent::type).toList());
        return store.append(runId, last, at, events, d);
      }

      public java.util.Optional<Run> find(String runId) { return store.find(runId); }
      public List<RecordedEvent> events(String runId, long afterSeq) { return store.events(runId, afterSeq); }
      public List<Run> list(RunQuery query) { return store.list(query); }
      public List<TraceEntry> traces(String runId) { return store.traces(runId); }
      public List<String> unfinished() { return store.unfinished(); }
      public List<ApprovalRequest> approvals(ApprovalQuery query) { return store.approvals(query); }
      public java.util.Optional<ApprovalRequest> approval(String id) { return store.approval(id); }
      public List<UsageTotal> usage(String agentId, java.time.Instant since) { return store.usage(agentId, since); }
      public List<RunAggregate> aggregate(RunAggregateQuery query) { return store.aggregate(query); }
      public List<ToolOutcome> toolOutcomes(java.time.Instant since, java.time.Instant until) { return store.toolOutcomes(since, until); }
      public List<Run> top(RunRanking ranking, java.time.Instant since, java.time.Instant until, int limit) {
        return store.top(ranking, since, until, limit);
      }
    };
    var turns = List.of(call("a"), new Turn(null, List.of(new Call("c9", "once", Json.tree("{\"text\":\"b\"}"))), 0, 0, 0, 0),
        Turn.text("Final Answer: done"));
    ReplayChatModel model = ReplayChatModel.of(turns);
    var spec = new AgentSpec("tester", null, null, null, "replay:x", "", List.of("echo", "once"), null);
    try (var engine = RunEngine.builder().store(recording).tools(new ToolRegistry(List.of(echo, once))).models(model::resolved).build()) {
      assertThat(engine.start(spec, "go", RunOptions.DEFAULT).await().status()).isEqualTo(RunStatus.COMPLETED);
    }

    assertThat(durabilities).containsExactly(
        "IMMEDIATE [run_created, run_started]",
        "IMMEDIATE [model_called, tool_call_requested, safety_decision, tool_call_started]",
        "DEFERRED [tool_call_completed]", // echo is idempotent: if lost, it is called again
        "IMMEDIATE [model_called, tool_call_requested, safety_decision, tool_call_started]",
        "IMMEDIATE [tool_call_completed]", // once is not: its outcome must not be lost
        "IMMEDIATE [model_called, run_completed]");
  }

  @Test
  void stopping_the_engine_leaves_runs_unfinished_for_the_next_start_to_resume() throws Exception {
    var turns = List.of(new Turn(null, List.of(new Call("c1", "echo", Json.tree("{\"text\":\"slow\",\"sleep_ms\":1500}"))), 0, 0, 0, 0),
        Turn.text("Final Answer: resumed"));
    ReplayChatModel model = ReplayChatModel.of(turns);
    var engine = RunEngine.builder().store(store).tools(new ToolRegistry(List.of(echo))).models(model::resolved).build();
    RunHandle handle = engine.start(agent(null), "go", RunOptions.DEFAULT);
    while (echo.calls.isEmpty()) {
      Thread.sleep(5);
    }

    assertThat(engine.stop(Duration.ofSeconds(5))).containsExactly(handle.runId());

    assertThat(store.find(handle.runId()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(types(store.events(handle.runId(), 0))).endsWith("tool_call_started");
    assertThatThrownBy(() -> engine.start(agent(null), "more", RunOptions.DEFAULT)).isInstanceOf(ConflictException.class);

    var turnsAfter = List.of(new Turn(null, List.of(new Call("c1", "echo", Json.tree("{\"text\":\"quick\"}"))), 0, 0, 0, 0),
        Turn.text("Final Answer: resumed"));
    try (var restarted = RunEngine.builder().store(store).tools(new ToolRegistry(List.of(echo))).models(ReplayChatModel.of(turnsAfter)::resolved).build()) {
      Run run = restarted.resume(handle.runId()).await();
      assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(echo.calls).hasSize(2); // echo is idempotent: the abandoned call ran again
    }
  }

  @Test
  void resume_reexecutes_an_interrupted_idempotent_call() {
    var spec = agent(null);
    var t = java.time.Instant.parse("2026-01-01T00:00:00Z");
    store.append("r2", 0, t, List.of(new RunEvent.RunCreated("tester", spec, "go", "replay:x", "/tmp")));
    store.append("r2", 1, t, List.of(
        new RunEvent.RunStarted(false, "w"),
        new ModelCalled(1, "replay:x", null, List.of(), 1, 1, 0, 1, "tool_execution"),
        new RunEvent.ToolCallRequested(1, "c1", "echo", Json.tree("{\"text\":\"again\"}"), true),
        new RunEvent.ToolCallStarted("c1", "echo")));
    ReplayChatModel model = ReplayChatModel.of(List.of(call("ignored"), Turn.text("Final Answer: ok")));
    try (var engine = RunEngine.builder().store(store).tools(new ToolRegistry(List.of(echo))).models(model::resolved).build()) {
      Run run = engine.resume("r2").await();

      assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(echo.calls).hasSize(1);
      assertThat(types(store.events("r2", 0))).containsSubsequence("run_started", "run_started", "tool_call_completed", "model_called", "run_completed");
    }
  }

  @Test
  void model_reference_override_is_recorded() {
    try (var engine = engine(List.of(Turn.text("Final Answer: ok")))) {
      Run run = engine.start(agent(null), "hi", new RunOptions("replay:other", null)).await();
      assertThat(run.model()).isEqualTo("replay:other");
      assertThat(ModelRef.parse(run.model()).isReplay()).isTrue();
    }
  }
}
