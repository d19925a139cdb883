package dev.maestro.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.agent.AgentKind;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.model.ReplayChatModel;
import dev.maestro.engine.model.ReplayChatModel.Turn;
import dev.maestro.engine.run.RunEvent.RunFailed;
import dev.maestro.engine.run.RunEvent.Thought;
import dev.maestro.engine.run.RunEvent.ToolCallCompleted;
import dev.maestro.engine.run.RunEvent.ToolCallRequested;
import dev.maestro.engine.run.RunEvent.ToolCallStarted;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.tool.ToolRegistry;
import dev.maestro.engine.workflow.Workflow;
import dev.maestro.engine.workflow.WorkflowContext;
import dev.maestro.engine.workflow.WorkflowException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Workflow agents: deterministic programs over tools, recorded as normal runs and resumed by replaying their log. */
class WorkflowRunTest {
  private final InMemoryRunStore store = new InMemoryRunStore();
  private final CountingTool echo = new CountingTool("echo");
  private final CountingTool once = new CountingTool("once", false, Duration.ofSeconds(5));

  /** A workflow given as a function, for tests. */
  private record Program(String id, BiFunction<String, WorkflowContext, String> body) implements Workflow {
    @Override
    public String description() {
      return "test workflow";
    }

    @Override
    public String run(String input, WorkflowContext context) {
      return body.apply(input, context);
    }
  }

  /** Echoes the input, notes it, echoes again, asks the model if there is one, and reports. */
  private static final Program REPORT = new Program("report", (input, ctx) -> {
    ctx.note("first look");
    String a = ctx.call("echo", text(input));
    ctx.note("then the second");
    String b = ctx.call("echo", text(a));
    Optional<String> summary = ctx.ask("Summarise: " + b);
    return b + summary.map(s -> " / " + s).orElse(" / no model");
  });

  private static JsonNode text(String value) {
    return Json.MAPPER.createObjectNode().put("text", value);
  }

  private static AgentSpec agent(String workflow, String model) {
    return new AgentSpec("advisor", null, null, AgentKind.WORKFLOW, model, "Be brief.", List.of("echo", "once"), null, workflow);
  }

  private RunEngine engine(List<Turn> turns, Workflow... workflows) {
    ReplayChatModel model = ReplayChatModel.of(turns.isEmpty() ? List.of(Turn.text("unused")) : turns);
    return RunEngine.builder().store(store).tools(new ToolRegistry(List.of(echo, once))).models(model::resolved)
        .workflows(List.of(workflows)).build();
  }

  private static List<String> types(List<RecordedEvent> events) {
    return events.stream().map(e -> e.event().type()).toList();
  }

  @Test
  void runs_a_workflow_without_a_model_as_a_recorded_run() {
    try (var engine = engine(List.of(), REPORT)) {
      Run run = engine.start(agent("report", null), "x", RunOptions.DEFAULT).await();

      assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(run.output()).isEqualTo("echo: echo: x / no model");
      assertThat(run.model()).isNull();
      assertThat(run.toolCalls()).isEqualTo(2);
      assertThat(run.steps()).isZero();
      assertThat(types(store.events(run.id(), 0))).containsExactly("run_created", "run_started",
          "thought", "tool_call_requested", "safety_decision", "tool_call_started", "tool_call_completed",
          "thought", "tool_call_requested", "safety_decision", "tool_call_started", "tool_call_completed", "run_completed");
      assertThat(store.traces(run.id())).extracting(TraceEntry::kind).containsExactly(
          TraceEntry.Kind.THOUGHT, TraceEntry.Kind.ACTION, TraceEntry.Kind.OBSERVATION,
          TraceEntry.Kind.THOUGHT, TraceEntry.Kind.ACTION, TraceEntry.Kind.OBSERVATION, TraceEntry.Kind.ANSWER);
    }
  }

  @Test
  void asks_the_model_when_the_agent_has_one_and_records_the_call() {
    try (var engine = engine(List.of(new Turn("Two echoes.", null, 30, 4, 0, 0)), REPORT)) {
      Run run = engine.start(agent("report", "replay:x"), "x", RunOptions.DEFAULT).await();

      assertThat(run.output()).isEqualTo("echo: echo: x / Two echoes.");
      assertThat(run.steps()).isEqualTo(1);
      assertThat(run.inputTokens()).isEqualTo(30);
      assertThat(types(store.events(run.id(), 0))).contains("model_called");
    }
  }

  @Test
  void resumes_from_the_log_without_repeating_completed_steps_or_notes() {
    var spec = agent("report", null);
    var t = Instant.parse("2026-01-01T00:00:00Z");
    // As a crash leaves it: the first call completed, the second started.
    store.append("r1", 0, t, List.of(new RunEvent.RunCreated("advisor", spec, "x", null, "/tmp")));
    store.append("r1", 1, t, List.of(new RunEvent.RunStarted(false, "w"), new Thought(1, "first look"),
        new ToolCallRequested(1, "step_1", "echo", text("x"), false), new ToolCallStarted("step_1", "echo")));
    store.append("r1", 5, t, List.of(new ToolCallCompleted("step_1", "echo", "echo: x", 1), new Thought(2, "then the second"),
        new ToolCallRequested(2, "step_2", "echo", text("echo: x"), false), new ToolCallStarted("step_2", "echo")));

    try (var engine = engine(List.of(), REPORT)) {
      Run run = engine.resume("r1").await();

      assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(run.output()).isEqualTo("echo: echo: x / no model");
      // echo is idempotent: the interrupted second call ran again; the completed first did not
      assertThat(echo.calls).extracting(n -> n.path("text").asText()).containsExactly("echo: x");
      List<RecordedEvent> log = store.events("r1", 0);
      assertThat(log.stream().filter(e -> e.event() instanceof Thought)).hasSize(2);
      assertThat(log).extracting(RecordedEvent::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, log.size()).boxed().toList());
    }
  }

  @Test
  void reports_an_interrupted_call_of_a_non_idempotent_tool_as_of_unknown_outcome() {
    var careful = new Program("careful", (input, ctx) -> {
      try {
        return ctx.call("once", text(input));
      } catch (ToolException e) {
        return "did not repeat: " + e.getMessage();
      }
    });
    var t = Instant.parse("2026-01-01T00:00:00Z");
    store.append("r2", 0, t, List.of(new RunEvent.RunCreated("advisor", agent("careful", null), "x", null, "/tmp")));
    store.append("r2", 1, t, List.of(new RunEvent.RunStarted(false, "w"),
        new ToolCallRequested(1, "step_1", "once", text("x"), false), new ToolCallStarted("step_1", "once")));

    try (var engine = engine(List.of(), careful)) {
      Run run = engine.resume("r2").await();

      assertThat(once.calls).isEmpty();
      assertThat(run.output()).startsWith("did not repeat: the outcome of this call is unknown");
    }
  }

  @Test
  void fails_a_run_whose_workflow_takes_other_steps_than_its_log_records() {
    var t = Instant.parse("2026-01-01T00:00:00Z");
    store.append("r3", 0, t, List.of(new RunEvent.RunCreated("advisor", agent("report", null), "x", null, "/tmp")));
    store.append("r3", 1, t, List.of(new RunEvent.RunStarted(false, "w"),
        new ToolCallRequested(1, "step_1", "once", text("something else"), false), new ToolCallStarted("step_1", "once"),
        new ToolCallCompleted("step_1", "once", "done", 1)));

    try (var engine = engine(List.of(), REPORT)) {
      Run run = engine.resume("r3").await();

      assertThat(run.status()).isEqualTo(RunStatus.FAILED);
      assertThat(run.error()).contains("not deterministic", "step 1");
      assertThat(store.events("r3", 0).getLast().event()).isInstanceOfSatisfying(RunFailed.class,
          f -> assertThat(f.code()).isEqualTo("workflow_failed"));
    }
  }

  @Test
  void a_failed_tool_call_fails_the_run_unless_the_workflow_handles_it() {
    var strict = new Program("strict", (input, ctx) -> ctx.call("echo", text("fail")));
    var refuses = new Program("refuses", (input, ctx) -> {
      throw new WorkflowException("nothing to analyse in '" + input + "'; give a path to an event log");
    });
    try (var engine = engine(List.of(), strict, refuses)) {
      Run failed = engine.start(agent("strict", null), "x", RunOptions.DEFAULT).await();
      Run refused = engine.start(agent("refuses", null), "x", RunOptions.DEFAULT).await();

      assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
      assertThat(failed.error()).contains("asked to fail");
      assertThat(refused.error()).isEqualTo("nothing to analyse in 'x'; give a path to an event log");
    }
  }

  @Test
  void cancels_a_workflow_during_a_tool_call() throws Exception {
    var slow = new Program("slow", (input, ctx) -> {
      ctx.call("echo", Json.MAPPER.createObjectNode().put("text", "a").put("sleep_ms", 10_000));
      return ctx.call("echo", text("never"));
    });
    try (var engine = engine(List.of(), slow)) {
      RunHandle handle = engine.start(agent("slow", null), "x", RunOptions.DEFAULT);
      while (echo.calls.isEmpty()) {
        Thread.sleep(5);
      }
      engine.cancel(handle.runId(), "stop");
      Run run = handle.await();

      assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(echo.calls).hasSize(1);
    }
  }

  @Test
  void refuses_to_start_an_agent_whose_workflow_is_not_installed() {
    try (var engine = engine(List.of(), REPORT)) {
      assertThatThrownBy(() -> engine.start(agent("nope", null), "x", RunOptions.DEFAULT))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("'nope'", "[report]");
    }
  }
}
