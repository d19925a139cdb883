package dev.maestro.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.ConflictException;
import dev.maestro.engine.agent.AgentKind;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.agent.Limits;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.run.RunEvent.ModelCalled;
import dev.maestro.engine.run.RunEvent.RunCancelled;
import dev.maestro.engine.run.RunEvent.RunCompleted;
import dev.maestro.engine.run.RunEvent.RunCreated;
import dev.maestro.engine.run.RunEvent.RunFailed;
import dev.maestro.engine.run.RunEvent.RunStarted;
import dev.maestro.engine.run.RunEvent.Thought;
import dev.maestro.engine.run.RunEvent.ToolCallCompleted;
import dev.maestro.engine.run.RunEvent.ToolCallFailed;
import dev.maestro.engine.run.RunEvent.ToolCallRequested;
import dev.maestro.engine.run.RunEvent.ToolCallStarted;
import dev.maestro.engine.safety.Action;
import dev.maestro.engine.tool.RiskLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RunStore} must do. Extend it with a factory for a fresh, empty store; the
 * in-memory, H2 and PostgreSQL stores all pass it.
 */
public abstract class RunStoreContract {
  /** Times in the log are whole milliseconds here, which every store keeps exactly. */
  protected static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  protected RunStore store;

  /** A fresh store over empty storage. */
  protected abstract RunStore newStore();

  /**
   * A store for another workspace over the same storage as the last {@link #newStore()} (for a
   * store without workspaces, simply another instance).
   */
  protected abstract RunStore newStoreInOtherWorkspace();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  // ---- numbering and conflicts

  @Test
  void numbers_events_without_gaps_across_appends() {
    var first = store.append("run-1", 0, T0, List.of(created("agent-a", "hello")));
    var second = store.append("run-1", 1, at(1), List.of(started(), modelCalled(1, "thinking", 100, 20), new Thought(1, "look it up")));
    var third = store.append("run-1", 4, at(2), List.of(requested(1, "c1"), new ToolCallStarted("c1", "search"), completed("c1", "found")));

    assertThat(first).extracting(RecordedEvent::seq).containsExactly(1L);
    assertThat(second).extracting(RecordedEvent::seq).containsExactly(2L, 3L, 4L);
    assertThat(third).extracting(RecordedEvent::seq).containsExactly(5L, 6L, 7L);
    var all = new ArrayList<RecordedEvent>();
    all.addAll(first);
    all.addAll(second);
    all.addAll(third);
    assertThat(store.events("run-1", 0)).containsExactlyElementsOf(all);
    assertThat(all).allMatch(e -> e.runId().equals("run-1"));
    assertThat(second).allMatch(e -> e.at().equals(at(1)));
  }

  @Test
  void shows_a_deferred_append_at_once_and_numbers_it_like_any_other() {
    store.append("run-1", 0, T0, List.of(created("agent-a", "hello")));
    store.append("run-1", 1, at(1), List.of(started(), requested(1, "c1"), new ToolCallStarted("c1", "search")));
    var deferred = store.append("run-1", 4, at(2), List.of(completed("c1", "found")), Durability.DEFERRED);
    var after = store.append("run-1", 5, at(3), List.of(new Thought(2, "next")));

    assertThat(deferred).extracting(RecordedEvent::seq).containsExactly(5L);
    assertThat(after).extracting(RecordedEvent::seq).containsExactly(6L);
    assertThat(store.events("run-1", 4)).extracting(RecordedEvent::event).containsExactly(completed("c1", "found"), new Thought(2, "next"));
    assertThat(store.find("run-1")).get().extracting(Run::lastSeq).isEqualTo(6L);
    assertThatThrownBy(() -> store.append("run-1", 4, at(4), List.of(new Thought(2, "stale")), Durability.DEFERRED))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void rejects_append_with_stale_sequence_and_writes_nothing() {
    store.append("run-1", 0, T0, List.of(created("agent-a", "hello")));
    store.append("run-1", 1, at(1), List.of(started(), new Thought(1, "first")));

    assertThatThrownBy(() -> store.append("run-1", 1, at(2), List.of(new Thought(1, "stale"))))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("run-1");
    assertThatThrownBy(() -> store.append("run-1", 7, at(2), List.of(new Thought(1, "ahead"))))
        .isInstanceOf(ConflictException.class);

    assertThat(store.events("run-1", 0)).hasSize(3);
    assertThat(store.find("run-1")).get().extracting(Run::lastSeq).isEqualTo(3L);
    assertThat(store.traces("run-1")).extracting(TraceEntry::content).containsExactly("first");
  }

  @Test
  void rejects_appending_to_a_finished_run() {
    List<RunEvent> endings = List.of(new RunCompleted("done"), new RunFailed("max_steps", "too many steps"), new RunCancelled("user asked"));
    for (int i = 0; i < endings.size(); i++) {
      String runId = "run-" + i;
      store.append(runId, 0, T0, List.of(created("agent-a", "hello")));
      store.append(runId, 1, at(1), List.of(endings.get(i)));

      assertThatThrownBy(() -> store.append(runId, 2, at(2), List.of(started())))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining(runId);
      assertThat(store.events(runId, 0)).hasSize(2);
    }
  }

  @Test
  void rejects_a_new_log_that_does_not_begin_with_run_created() {
    assertThatThrownBy(() -> store.append("run-1", 0, T0, List.of(started())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("run_created");

    assertThat(store.find("run-1")).isEmpty();
    assertThat(store.events("run-1", 0)).isEmpty();
    assertThat(store.append("run-1", 0, T0, List.of(created("agent-a", "hello")))).hasSize(1);
  }

  @Test
  void rejects_appending_to_a_run_that_does_not_exist() {
    assertThatThrownBy(() -> store.append("nowhere", 3, T0, List.of(new Thought(1, "lost"))))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("nowhere");
    assertThat(store.find("nowhere")).isEmpty();
  }

  @Test
  void rejects_creating_a_run_twice() {
    store.append("run-1", 0, T0, List.of(created("agent-a", "hello")));

    assertThatThrownBy(() -> store.append("run-1", 0, at(1), List.of(created("agent-b", "again"))))
        .isInstanceOf(ConflictException.class);
    assertThat(store.find("run-1")).get().extracting(Run::agentId, Run::input).containsExactly("agent-a", "hello");
  }

  @Test
  void appending_nothing_changes_nothing() {
    store.append("run-1", 0, T0, List.of(created("agent-a", "hello")));

    assertThat(store.append("run-1", 1, at(1), List.of())).isEmpty();
    assertThat(store.events("run-1", 0)).hasSize(1);
  }

  // ---- projections

  @Test
  void keeps_the_run_summary_equal_to_the_fold_of_its_log() {
    List<List<RunEvent>> batches = List.of(
        List.of(created("agent-a", "what is the weather?")),
        List.of(started(), modelCalled(1, "I should search", 120, 30), new Thought(1, "I should search"), requested(1, "c1")),
        List.of(new ToolCallStarted("c1", "search"), completed("c1", "sunny")),
        List.of(modelCalled(2, "", 200, 10), requested(2, "c2"), new ToolCallStarted("c2", "search"),
            new ToolCallFailed("c2", "search", "timed out", 5_000, false)),
        List.of(modelCalled(3, "It is sunny.", 260, 15), new RunCompleted("It is sunny.")));
    long last = 0;
    for (int i = 0; i < batches.size(); i++) {
      last += store.append("run-1", last, at(i), batches.get(i)).size();

      assertThat(store.find("run-1")).contains(Run.fold(store.events("run-1", 0)));
    }

    Run run = store.find("run-1").orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(run.output()).isEqualTo("It is sunny.");
    assertThat(run.steps()).isEqualTo(3);
    assertThat(run.toolCalls()).isEqualTo(2);
    assertThat(run.inputTokens()).isEqualTo(580);
    assertThat(run.outputTokens()).isEqualTo(55);
    assertThat(run.cachedTokens()).isEqualTo(3 * 7);
    assertThat(run.createdAt()).isEqualTo(T0);
    assertThat(run.startedAt()).isEqualTo(at(1));
    assertThat(run.endedAt()).isEqualTo(at(4));
    assertThat(run.lastSeq()).isEqualTo(last);
  }

  @Test
  void projects_the_reasoning_trace_of_each_append() {
    List<List<RunEvent>> batches = List.of(
        List.of(created("agent-a", "what is the weather?"), started()),
        List.of(modelCalled(1, "I should search", 120, 30), new Thought(1, "I should search"), requested(1, "c1")),
        List.of(new ToolCallStarted("c1", "search"), completed("c1", "sunny")),
        List.of(modelCalled(2, "It is sunny.", 200, 10), new RunCompleted("It is sunny.")));
    var expected = new ArrayList<TraceEntry>();
    Run before = null;
    long last = 0;
    for (int i = 0; i < batches.size(); i++) {
      var recorded = store.append("run-1", last, at(i), batches.get(i));
      expected.addAll(TraceEntry.project(before, recorded));
      last += recorded.size();
      before = store.find("run-1").orElseThrow();
    }

    List<TraceEntry> trace = store.traces("run-1");
    assertThat(trace).containsExactlyElementsOf(expected);
    assertThat(trace).extracting(TraceEntry::kind).containsExactly(
        TraceEntry.Kind.THOUGHT, TraceEntry.Kind.ACTION, TraceEntry.Kind.OBSERVATION, TraceEntry.Kind.ANSWER);
    assertThat(trace.get(0)).extracting(TraceEntry::tokens, TraceEntry::latencyMs).containsExactly(150L, 42L);
    assertThat(trace.get(1)).extracting(TraceEntry::tool, TraceEntry::callId).containsExactly("search", "c1");
    assertThat(trace.get(2).content()).isEqualTo("sunny");
    assertThat(trace.get(3)).extracting(TraceEntry::step, TraceEntry::content).containsExactly(2, "It is sunny.");
    assertThat(store.traces("no-such-run")).isEmpty();
  }

  // ---- reads

  @Test
  void reads_the_events_after_a_sequence_number() {
    store.append("run-1", 0, T0, List.of(created("agent-a", "hello")));
    store.append("run-1", 1, at(1), List.of(started(), new Thought(1, "a"), new Thought(1, "b"), new Thought(1, "c")));

    assertThat(store.events("run-1", 3)).extracting(RecordedEvent::seq).containsExactly(4L, 5L);
    assertThat(store.events("run-1", 5)).isEmpty();
    assertThat(store.events("run-1", 99)).isEmpty();
    assertThat(store.events("no-such-run", 0)).isEmpty();
  }

  @Test
  void lists_runs_newest_first_with_filters() {
    createRun("r1", "agent-a", at(1));
    createRun("r2", "agent-b", at(2));
    createRun("r3", "agent-a", at(3));
    createRun("r4", "agent-a", at(4));
    createRun("r5", "agent-b", at(5));
    store.append("r3", 1, at(6), List.of(started()));
    store.append("r4", 1, at(6), List.of(new RunCompleted("done")));

    assertThat(ids(RunQuery.RECENT)).containsExactly("r5", "r4", "r3", "r2", "r1");
    assertThat(ids(new RunQuery("agent-a", null, null, 50, 0))).containsExactly("r4", "r3", "r1");
    assertThat(ids(new RunQuery(null, RunStatus.PENDING, null, 50, 0))).containsExactly("r5", "r2", "r1");
    assertThat(ids(new RunQuery(null, RunStatus.RUNNING, null, 50, 0))).containsExactly("r3");
    assertThat(ids(new RunQuery("agent-b", RunStatus.COMPLETED, null, 50, 0))).isEmpty();
    assertThat(ids(new RunQuery(null, null, at(3), 50, 0))).containsExactly("r5", "r4", "r3");
    assertThat(ids(new RunQuery(null, null, null, at(3), 50, 0))).containsExactly("r2", "r1");
    assertThat(ids(new RunQuery("agent-a", null, at(1), at(4), 50, 0))).containsExactly("r3", "r1");
    assertThat(ids(new RunQuery(null, null, null, 2, 0))).containsExactly("r5", "r4");
    assertThat(ids(new RunQuery(null, null, null, 2, 2))).containsExactly("r3", "r2");
    assertThat(ids(new RunQuery(null, null, null, 2, 4))).containsExactly("r1");
    assertThat(store.list(RunQuery.RECENT).get(1)).isEqualTo(store.find("r4").orElseThrow());
  }

  @Test
  void lists_runs_created_at_the_same_time_by_descending_id() {
    createRun("r-a", "agent-a", T0);
    createRun("r-c", "agent-a", T0);
    createRun("r-b", "agent-a", T0);

    assertThat(ids(RunQuery.RECENT)).containsExactly("r-c", "r-b", "r-a");
  }

  @Test
  void lists_unfinished_runs_oldest_first() {
    createRun("r1", "agent-a", at(3));
    createRun("r2", "agent-a", at(1));
    createRun("r3", "agent-a", at(2));
    createRun("r4", "agent-a", at(0));
    createRun("r5", "agent-a", at(4));
    store.append("r2", 1, at(5), List.of(started()));
    store.append("r3", 1, at(5), List.of(new RunCompleted("done")));
    store.append("r4", 1, at(5), List.of(new RunFailed("internal", "boom")));
    store.append("r5", 1, at(5), List.of(new RunCancelled("stop")));

    assertThat(store.unfinished()).containsExactly("r2", "r1");
  }

  // ---- the log keeps everything exactly

  @Test
  void round_trips_every_event_type_exactly() {
    JsonNode arguments = Json.tree("{\"query\":\"weather in Paris\",\"limit\":3,\"filters\":{\"fresh\":true,\"tags\":[\"a\",null]}}");
    List<RunEvent> complete = List.of(
        created("agent-a", "ünïcödé input — 日本語 🎼\nsecond line"),
        new RunStarted(false, "worker-1"),
        new RunEvent.MemoryRecalled(1, List.of("mem_1", "mem_2"), "Relevant memories:\n- [procedural] ünïcode lesson"),
        new ModelCalled(1, "openai:gpt-4o-mini", "calling a tool", List.of(new ToolCall("c1", "search", arguments)),
            10, 5, 2, 321, "tool_calls"),
        new Thought(1, "I need \"quotes\" and \\ backslashes"),
        new ToolCallRequested(1, "c1", "search", arguments, true),
        new RunEvent.SafetyDecided("c1", "search", RiskLevel.HIGH, Action.REQUIRE_APPROVAL, "prod-writes", "policy prod-writes sets risk high"),
        new RunEvent.ApprovalRequested("apr_1", "c1", "search", arguments, RiskLevel.HIGH, 2, T0.plusSeconds(3600), "prod-writes", "why"),
        new RunEvent.ApprovalGranted("apr_1", "alice", "looks fine", List.of("alice"), false),
        new RunEvent.ApprovalRejected("apr_1", "bob", null, false),
        new ToolCallStarted("c1", "search"),
        new ToolCallCompleted("c1", "search", "control \u0000\u0001\t characters", 12),
        new ToolCallFailed("c2", "fetch", "outcome unknown after a crash", 0, true),
        new RunStarted(true, null),
        new ModelCalled(2, "openai:gpt-4o-mini", null, List.of(), 0, 0, 0, 0, null),
        new RunCompleted("done"));
    var recorded = new ArrayList<RecordedEvent>(store.append("all", 0, T0, complete));
    recorded.addAll(store.append("failed", 0, T0, List.of(created("agent-a", "x"), new RunFailed("model_error", "HTTP 500"))));
    recorded.addAll(store.append("cancelled", 0, T0, List.of(created("agent-a", "x"), new RunCancelled(null))));

    var read = new ArrayList<RecordedEvent>(store.events("all", 0));
    read.addAll(store.events("failed", 0));
    read.addAll(store.events("cancelled", 0));
    assertThat(read).containsExactlyElementsOf(recorded);
    assertThat(read.stream().map(e -> e.event().type()).distinct())
        .as("every kind of event is covered")
        .hasSize(RunEvent.class.getPermittedSubclasses().length);
  }

  // ---- approval requests: a projection of the log, changed with it

  @Test
  void projects_approval_requests_from_the_log_and_lists_them_with_filters() {
    JsonNode args = Json.tree("{\"sql\":\"DELETE FROM t\"}");
    createRun("r1", "agent-a", at(0));
    createRun("r2", "agent-b", at(0));
    store.append("r1", 1, at(1), List.of(
        new ToolCallRequested(1, "c1", "run_sql", args, true),
        new RunEvent.SafetyDecided("c1", "run_sql", RiskLevel.CRITICAL, Action.REQUIRE_APPROVAL, "default", "DELETE writes"),
        new RunEvent.ApprovalRequested("apr_1", "c1", "run_sql", args, RiskLevel.CRITICAL, 2, at(100), "default", "DELETE writes")));
    store.append("r2", 1, at(2), List.of(
        new ToolCallRequested(1, "c1", "send_email", args, true),
        new RunEvent.ApprovalRequested("apr_2", "c1", "send_email", args, RiskLevel.HIGH, 1, at(50), "default", "external")));

    ApprovalRequest first = store.approval("apr_1").orElseThrow();
    assertThat(first).isEqualTo(new ApprovalRequest("apr_1", "r1", "agent-a", "c1", "run_sql", args, RiskLevel.CRITICAL, "default",
        "DELETE writes", 2, List.of(), ApprovalStatus.PENDING, at(1), at(100), null, null, null));
    assertThat(store.find("r1").orElseThrow().status()).isEqualTo(RunStatus.WAITING_APPROVAL);
    assertThat(store.approvals(ApprovalQuery.pending(10))).extracting(ApprovalRequest::id).containsExactly("apr_2", "apr_1");

    store.append("r1", 4, at(3), List.of(new RunEvent.ApprovalGranted("apr_1", "alice", "ok", List.of("alice"), false)));
    assertThat(store.approval("apr_1").orElseThrow().approvedBy()).containsExactly("alice");
    assertThat(store.approval("apr_1").orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
    store.append("r1", 5, at(4), List.of(new RunEvent.ApprovalGranted("apr_1", "bob", "fine", List.of("alice", "bob"), true)));
    store.append("r2", 3, at(5), List.of(new RunEvent.ApprovalRejected("apr_2", "system", "nobody approved it", true)));

    ApprovalRequest approved = store.approval("apr_1").orElseThrow();
    assertThat(approved.status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(approved.approvedBy()).containsExactly("alice", "bob");
    assertThat(approved.resolvedBy()).isEqualTo("bob");
    assertThat(approved.resolvedAt()).isEqualTo(at(4));
    assertThat(approved.comment()).isEqualTo("fine");
    ApprovalRequest expired = store.approval("apr_2").orElseThrow();
    assertThat(expired.status()).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(expired.resolvedBy()).isEqualTo("system");

    assertThat(store.approvals(ApprovalQuery.pending(10))).isEmpty();
    assertThat(store.approvals(new ApprovalQuery(ApprovalStatus.APPROVED, null, null, null, null, null, null, 10, 0)))
        .extracting(ApprovalRequest::id).containsExactly("apr_1");
    assertThat(store.approvals(new ApprovalQuery(null, "agent-b", null, null, null, null, null, 10, 0))).extracting(ApprovalRequest::id)
        .containsExactly("apr_2");
    assertThat(store.approvals(new ApprovalQuery(null, null, "r1", "run_sql", at(1), at(2), null, 10, 0))).extracting(ApprovalRequest::id)
        .containsExactly("apr_1");
    assertThat(store.approvals(new ApprovalQuery(null, null, null, null, null, null, at(60), 10, 0))).extracting(ApprovalRequest::id)
        .containsExactly("apr_2");
    assertThat(store.approvals(new ApprovalQuery(null, null, null, null, null, null, null, 1, 1))).extracting(ApprovalRequest::id)
        .containsExactly("apr_1");
    assertThat(store.approval("apr_nope")).isEmpty();
  }

  @Test
  void sums_an_agents_token_usage_per_model_since_an_instant() {
    createRun("r1", "agent-a", at(0));
    createRun("r2", "agent-a", at(10));
    createRun("r3", "agent-a", at(20));
    createRun("r4", "agent-b", at(20));
    store.append("r1", 1, at(1), List.of(new ModelCalled(1, "m", null, List.of(), 1000, 1000, 0, 1, null)));
    store.append("r2", 1, at(11), List.of(new ModelCalled(1, "m", null, List.of(), 10, 5, 2, 1, null)));
    store.append("r3", 1, at(21), List.of(new ModelCalled(1, "m", null, List.of(), 20, 7, 3, 1, null),
        new ModelCalled(2, "m", null, List.of(), 1, 1, 0, 1, null)));
    store.append("r4", 1, at(21), List.of(new ModelCalled(1, "m", null, List.of(), 500, 500, 0, 1, null)));

    assertThat(store.usage("agent-a", at(10))).containsExactly(new UsageTotal("openai:gpt-4o-mini", 2, 31, 13, 5));
    assertThat(store.usage("agent-c", at(0))).isEmpty();
  }

  @Test
  void keeps_large_texts_whole() {
    String big = "0123456789abcdef".repeat(200_000); // 3.2 million characters
    store.append("run-1", 0, T0, List.of(created("agent-a", big)));
    store.append("run-1", 1, at(1), List.of(new RunCompleted(big)));

    Run run = store.find("run-1").orElseThrow();
    assertThat(run.input()).isEqualTo(big);
    assertThat(run.output()).isEqualTo(big);
    assertThat(store.traces("run-1")).extracting(TraceEntry::content).containsExactly(big);
    assertThat(((RunCompleted) store.events("run-1", 1).get(0).event()).output()).isEqualTo(big);
  }

  // ---- concurrency

  @Test
  void lets_exactly_one_of_racing_appenders_take_each_sequence_number() throws Exception {
    store.append("run-1", 0, T0, List.of(created("agent-a", "hello")));
    int rounds = 15;
    int racers = 8;
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int round = 1; round <= rounds; round++) {
        long expected = round;
        var start = new CountDownLatch(1);
        var wins = new ArrayList<Future<Boolean>>();
        for (int r = 0; r < racers; r++) {
          int racer = r;
          wins.add(threads.submit(() -> {
            start.await();
            try {
              store.append("run-1", expected, at(1), List.of(new Thought(1, "racer " + racer)));
              return true;
            } catch (ConflictException lost) {
              return false;
            }
          }));
        }
        start.countDown();
        int won = 0;
        for (Future<Boolean> w : wins) {
          won += w.get() ? 1 : 0;
        }
        assertThat(won).as("winners of round %d", round).isEqualTo(1);
      }
    }
    assertThat(store.events("run-1", 0)).extracting(RecordedEvent::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, rounds + 1).boxed().toList());
  }

  @Test
  void leaves_no_gaps_when_appenders_retry_after_conflicts() throws Exception {
    store.append("run-1", 0, T0, List.of(created("agent-a", "hello")));
    int writers = 6;
    int appendsEach = 10;
    var conflicts = new AtomicInteger();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < writers; w++) {
        int writer = w;
        threads.submit(() -> {
          for (int i = 0; i < appendsEach; ) {
            long last = store.find("run-1").orElseThrow().lastSeq();
            try {
              store.append("run-1", last, at(1), List.of(new Thought(i, "writer " + writer + " #" + i), new Thought(i, "more")));
              i++;
            } catch (ConflictException retry) {
              conflicts.incrementAndGet();
            }
          }
          return null;
        });
      }
    }
    var events = store.events("run-1", 0);
    assertThat(events).extracting(RecordedEvent::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 1 + 2L * writers * appendsEach).boxed().toList());
    assertThat(store.find("run-1").orElseThrow().lastSeq()).isEqualTo(events.size());
  }

  @Test
  void keeps_every_append_of_many_runs_written_at_once() throws Exception {
    int runs = 400;
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      var done = new ArrayList<Future<?>>();
      for (int i = 0; i < runs; i++) {
        String runId = "run-" + i;
        done.add(threads.submit(() -> {
          store.append(runId, 0, T0, List.of(created("agent-a", "input of " + runId)));
          store.append(runId, 1, at(1), List.of(started(), modelCalled(1, "search", 10, 2), new Thought(1, "search")));
          store.append(runId, 4, at(2), List.of(requested(1, "c1"), new ToolCallStarted("c1", "search"), completed("c1", "ok")));
          store.append(runId, 7, at(3), List.of(new RunCompleted("answer for " + runId)));
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    for (int i = 0; i < runs; i++) {
      Run run = store.find("run-" + i).orElseThrow();
      assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(run.output()).isEqualTo("answer for run-" + i);
      assertThat(run.lastSeq()).isEqualTo(8);
      assertThat(store.events("run-" + i, 0)).hasSize(8);
    }
    assertThat(store.unfinished()).isEmpty();
    assertThat(store.list(new RunQuery(null, RunStatus.COMPLETED, null, 1000, 0))).hasSize(runs);
  }

  // ---- workspaces

  @Test
  void keeps_workspaces_apart() {
    createRun("mine", "agent-a", T0);
    store.append("mine", 1, at(1), List.of(started(), new Thought(1, "private")));
    RunStore other = newStoreInOtherWorkspace();

    assertThat(other.find("mine")).isEmpty();
    assertThat(other.events("mine", 0)).isEmpty();
    assertThat(other.traces("mine")).isEmpty();
    assertThat(other.list(RunQuery.RECENT)).isEmpty();
    assertThat(other.unfinished()).isEmpty();
    assertThatThrownBy(() -> other.append("mine", 3, at(2), List.of(new RunCompleted("hijacked"))))
        .isInstanceOf(ConflictException.class);

    createRunIn(other, "theirs", "agent-a", at(1));
    assertThat(store.find("theirs")).isEmpty();
    assertThat(ids(RunQuery.RECENT)).containsExactly("mine");
    assertThat(store.unfinished()).containsExactly("mine");
    assertThat(other.unfinished()).containsExactly("theirs");
    assertThat(store.find("mine").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
  }

  // ---- aggregates for dashboards

  @Test
  void counts_runs_per_time_bucket_agent_model_and_status_without_reading_them_out() {
    // Buckets of one minute from T0: r1 and r2 in the first, r3 in the second, r4 in the third; r5 before the window.
    createRun("r1", "agent-a", at(0));
    store.append("r1", 1, at(10), List.of(modelCalled(1, "", 100, 10), new RunCompleted("done"))); // 10 s
    createRun("r2", "agent-a", at(30));
    store.append("r2", 1, at(50), List.of(modelCalled(1, "", 200, 20), new RunFailed("max_steps", "too long"))); // 20 s
    createRun("r3", "agent-b", at(60)); // unfinished
    store.append("r3", 1, at(61), List.of(started(), modelCalled(1, "", 5, 5)));
    store.append("r4", 0, at(125), List.of(new RunCreated("agent-a", null, "input", "replay:x.jsonl", "/tmp/work")));
    store.append("r4", 1, at(165), List.of(new RunCompleted("done"))); // 40 s
    createRun("r5", "agent-a", at(-1));

    var byStatus = store.aggregate(new RunAggregateQuery(T0, at(180), Duration.ofMinutes(1), false, false, true));
    assertThat(byStatus).containsExactly(
        new RunAggregate(T0, null, null, RunStatus.COMPLETED, 1, 1, 100, 10, 7, 10_000, 10_000, 10_000),
        new RunAggregate(T0, null, null, RunStatus.FAILED, 1, 1, 200, 20, 7, 20_000, 20_000, 20_000),
        new RunAggregate(at(60), null, null, RunStatus.RUNNING, 1, 0, 5, 5, 7, 0, 0, 0),
        new RunAggregate(at(120), null, null, RunStatus.COMPLETED, 1, 1, 0, 0, 0, 40_000, 40_000, 40_000));

    var byAgentAndModel = store.aggregate(new RunAggregateQuery(T0, at(180), null, true, true, false));
    assertThat(byAgentAndModel).containsExactly(
        // durations 10 s and 20 s: p50 interpolates to 15 s, p95 to 19.5 s
        new RunAggregate(T0, "agent-a", "openai:gpt-4o-mini", null, 2, 2, 300, 30, 14, 15_000, 19_500, 20_000),
        new RunAggregate(T0, "agent-a", "replay:x.jsonl", null, 1, 1, 0, 0, 0, 40_000, 40_000, 40_000),
        new RunAggregate(T0, "agent-b", "openai:gpt-4o-mini", null, 1, 0, 5, 5, 7, 0, 0, 0));

    var whole = store.aggregate(RunAggregateQuery.total(T0, at(125)));
    assertThat(whole).singleElement().satisfies(a -> {
      assertThat(a.runs()).isEqualTo(3); // r4 was created at the window's end, which is excluded
      assertThat(a.finished()).isEqualTo(2);
      assertThat(a.totalTokens()).isEqualTo(340);
    });
    assertThat(store.aggregate(RunAggregateQuery.total(at(200), at(300)))).isEmpty();
    assertThat(newStoreInOtherWorkspace().aggregate(RunAggregateQuery.total(T0, at(180)))).isEmpty();
  }

  @Test
  void counts_how_each_tools_calls_ended_within_a_window() {
    createRun("r1", "agent-a", at(0));
    store.append("r1", 1, at(1), List.of(started(), modelCalled(1, "", 10, 10), requested(1, "c1"), new ToolCallStarted("c1", "search"),
        completed("c1", "error: looks like a failure but completed"), // 15 ms
        new ToolCallRequested(1, "c2", "fetch", Json.tree("{}"), true), new ToolCallStarted("c2", "fetch"),
        new ToolCallFailed("c2", "fetch", "refused", 100, false)));
    store.append("r1", 9, at(2), List.of(requested(2, "c3"), new ToolCallStarted("c3", "search"), new ToolCallCompleted("c3", "search", "x", 35),
        new ToolCallRequested(2, "c4", "search", Json.tree("{}"), true), new ToolCallFailed("c4", "search", "blocked", 0, false)));
    createRun("r2", "agent-a", at(100));
    store.append("r2", 1, at(101), List.of(requested(1, "c1"), new ToolCallStarted("c1", "search"), completed("c1", "late")));

    assertThat(store.toolOutcomes(T0, at(100))).containsExactly(
        new ToolOutcome("fetch", 0, 1, 100, 100),
        // durations 0, 15 and 35 ms: the 95th percentile interpolates to 33 ms
        new ToolOutcome("search", 2, 1, 33, 35));
    assertThat(store.toolOutcomes(at(100), at(200))).containsExactly(new ToolOutcome("search", 1, 0, 15, 15));
    assertThat(newStoreInOtherWorkspace().toolOutcomes(T0, at(200))).isEmpty();
  }

  @Test
  void ranks_a_windows_runs_by_duration_and_by_tokens() {
    createRun("quick", "agent-a", at(0));
    store.append("quick", 1, at(1), List.of(modelCalled(1, "", 1000, 500), new RunCompleted("done")));
    createRun("slow", "agent-a", at(1));
    store.append("slow", 1, at(30), List.of(modelCalled(1, "", 10, 5), new RunCompleted("done")));
    createRun("middle", "agent-b", at(2));
    store.append("middle", 1, at(12), List.of(modelCalled(1, "", 100, 50), new RunFailed("timeout", "took too long")));
    createRun("waiting", "agent-b", at(3));
    store.append("waiting", 1, at(4), List.of(modelCalled(1, "", 5000, 1)));
    createRun("outside", "agent-a", at(500));
    store.append("outside", 1, at(5000), List.of(new RunCompleted("done")));

    assertThat(store.top(RunRanking.LONGEST, T0, at(100), 10)).extracting(Run::id).containsExactly("slow", "middle", "quick");
    assertThat(store.top(RunRanking.LONGEST, T0, at(100), 1)).extracting(Run::id).containsExactly("slow");
    assertThat(store.top(RunRanking.MOST_TOKENS, T0, at(100), 3)).extracting(Run::id).containsExactly("waiting", "quick", "middle");
    assertThatThrownBy(() -> store.top(RunRanking.LONGEST, T0, at(100), 0)).hasMessageContaining("1 to 1000");
  }

  // ---- fixtures

  protected static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  protected static RunCreated created(String agentId, String input) {
    var spec = new AgentSpec(agentId, "Agent " + agentId, "answers questions", AgentKind.REACT, "openai:gpt-4o-mini",
        "Be brief.", List.of("search"), new Limits(5, 10_000L, Duration.ofMinutes(5)));
    return new RunCreated(agentId, spec, input, "openai:gpt-4o-mini", "/tmp/work");
  }

  private static RunStarted started() {
    return new RunStarted(false, "worker-1");
  }

  /** A model call with 7 cached tokens and 42 ms of latency. */
  private static ModelCalled modelCalled(int step, String text, long in, long out) {
    return new ModelCalled(step, "openai:gpt-4o-mini", text, List.of(), in, out, 7, 42, "stop");
  }

  private static ToolCallRequested requested(int step, String callId) {
    return new ToolCallRequested(step, callId, "search", Json.tree("{\"q\":\"weather\"}"), true);
  }

  private static ToolCallCompleted completed(String callId, String output) {
    return new ToolCallCompleted(callId, "search", output, 15);
  }

  private void createRun(String runId, String agentId, Instant createdAt) {
    createRunIn(store, runId, agentId, createdAt);
  }

  private static void createRunIn(RunStore target, String runId, String agentId, Instant createdAt) {
    target.append(runId, 0, createdAt, List.of(created(agentId, "input")));
  }

  private List<String> ids(RunQuery query) {
    return store.list(query).stream().map(Run::id).toList();
  }
}
