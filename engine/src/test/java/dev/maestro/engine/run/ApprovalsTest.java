package dev.maestro.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.model.ReplayChatModel;
import dev.maestro.engine.model.ReplayChatModel.Call;
import dev.maestro.engine.model.ReplayChatModel.Turn;
import dev.maestro.engine.run.RunEvent.ApprovalRequested;
import dev.maestro.engine.run.RunEvent.SafetyDecided;
import dev.maestro.engine.run.RunEvent.ToolCallFailed;
import dev.maestro.engine.safety.Action;
import dev.maestro.engine.safety.Policies;
import dev.maestro.engine.safety.SafetyEngine;
import dev.maestro.engine.safety.SafetySettings;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.ToolRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tool calls that need people: the run waits holding no thread, and goes on when they answer. */
class ApprovalsTest {
  private final InMemoryRunStore store = new InMemoryRunStore();
  private final CountingTool risky = new CountingTool("risky", RiskLevel.HIGH, false, Duration.ofSeconds(5));
  private final CountingTool critical = new CountingTool("critical", RiskLevel.CRITICAL, false, Duration.ofSeconds(5));
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private SafetyEngine safety = SafetyEngine.defaults();

  /** The model calls the tool once, then answers with whatever it was told. */
  private static List<Turn> callThenAnswer(String tool) {
    return List.of(new Turn(null, List.of(new Call("c1", tool, Json.tree("{\"text\":\"drop it\"}"))), 10, 5, 0, 0),
        Turn.text("Final Answer: finished"));
  }

  private RunEngine engine(List<Turn> turns) {
    ReplayChatModel model = ReplayChatModel.of(turns);
    return RunEngine.builder().store(store).tools(new ToolRegistry(List.of(risky, critical))).models(model::resolved)
        .clock(clock).safety(() -> safety).build();
  }

  private static AgentSpec agent() {
    return new AgentSpec("ops", null, null, null, "replay:x", "", List.of("risky", "critical"), null);
  }

  private Run awaitStatus(String runId, RunStatus status) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      Run run = store.find(runId).orElseThrow();
      if (run.status() == status) {
        return run;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("run " + runId + " is " + store.find(runId).orElseThrow().status() + ", not " + status);
  }

  private List<String> types(String runId) {
    return store.events(runId, 0).stream().map(e -> e.event().type()).toList();
  }

  @Test
  void a_high_risk_call_waits_without_a_thread_and_executes_once_approved() throws Exception {
    try (var engine = engine(callThenAnswer("risky"))) {
      Run waiting = engine.start(agent(), "go", RunOptions.DEFAULT).await();

      assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_APPROVAL);
      assertThat(engine.executing()).isZero();
      assertThat(risky.calls).isEmpty();
      ApprovalRequest request = store.approvals(ApprovalQuery.pending(10)).getFirst();
      assertThat(request.runId()).isEqualTo(waiting.id());
      assertThat(request.risk()).isEqualTo(RiskLevel.HIGH);
      assertThat(request.approversRequired()).isEqualTo(1);
      assertThat(request.deadline()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
      assertThat(engine.resume(waiting.id()).await().status()).as("resuming while still waiting changes nothing")
          .isEqualTo(RunStatus.WAITING_APPROVAL);

      ApprovalRequest approved = engine.approve(request.id(), "alice", "go ahead");

      assertThat(approved.status()).isEqualTo(ApprovalStatus.APPROVED);
      assertThat(awaitStatus(waiting.id(), RunStatus.COMPLETED).output()).isEqualTo("finished");
      assertThat(risky.calls).hasSize(1);
      assertThat(types(waiting.id())).containsExactly("run_created", "run_started", "model_called", "tool_call_requested",
          "safety_decision", "approval_requested", "approval_granted", "run_started", "tool_call_started", "tool_call_completed",
          "model_called", "run_completed");
      assertThatThrownBy(() -> engine.approve(request.id(), "bob", null)).isInstanceOf(ConflictException.class)
          .hasMessageContaining("already approved");
    }
  }

  @Test
  void a_rejection_becomes_an_observation_the_model_deals_with() throws Exception {
    try (var engine = engine(callThenAnswer("risky"))) {
      Run waiting = engine.start(agent(), "go", RunOptions.DEFAULT).await();
      String id = store.approvals(ApprovalQuery.pending(10)).getFirst().id();

      assertThat(engine.reject(id, "bob", "not on a Friday").status()).isEqualTo(ApprovalStatus.REJECTED);

      assertThat(awaitStatus(waiting.id(), RunStatus.COMPLETED).output()).isEqualTo("finished");
      assertThat(risky.calls).isEmpty();
      ToolCallFailed failed = store.events(waiting.id(), 0).stream().map(RecordedEvent::event)
          .filter(ToolCallFailed.class::isInstance).map(ToolCallFailed.class::cast).findFirst().orElseThrow();
      assertThat(failed.error()).contains("bob", "rejected", "not on a Friday");
      assertThatThrownBy(() -> engine.approve(id, "carol", null)).isInstanceOf(ConflictException.class).hasMessageContaining("rejected");
    }
  }

  @Test
  void an_expired_request_counts_as_rejected_and_cannot_be_approved_afterwards() throws Exception {
    try (var engine = engine(callThenAnswer("risky"))) {
      Run waiting = engine.start(agent(), "go", RunOptions.DEFAULT).await();
      String id = store.approvals(ApprovalQuery.pending(10)).getFirst().id();
      assertThat(engine.expireApprovals()).as("nothing is due yet").isZero();

      clock.advance(Duration.ofMinutes(61));
      assertThat(engine.expireApprovals()).isEqualTo(1);

      assertThat(awaitStatus(waiting.id(), RunStatus.COMPLETED).status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(store.approval(id).orElseThrow().status()).isEqualTo(ApprovalStatus.EXPIRED);
      assertThat(risky.calls).isEmpty();
      assertThatThrownBy(() -> engine.approve(id, "alice", null)).isInstanceOf(ConflictException.class).hasMessageContaining("expired");
    }
  }

  @Test
  void approving_after_the_deadline_is_refused_and_expires_the_request() throws Exception {
    try (var engine = engine(callThenAnswer("risky"))) {
      Run waiting = engine.start(agent(), "go", RunOptions.DEFAULT).await();
      String id = store.approvals(ApprovalQuery.pending(10)).getFirst().id();
      clock.advance(Duration.ofHours(2));

      assertThatThrownBy(() -> engine.approve(id, "alice", null)).isInstanceOf(ConflictException.class).hasMessageContaining("expired");

      assertThat(awaitStatus(waiting.id(), RunStatus.COMPLETED).status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(risky.calls).isEmpty();
    }
  }

  @Test
  void a_critical_call_needs_two_different_people() throws Exception {
    try (var engine = engine(callThenAnswer("critical"))) {
      Run waiting = engine.start(agent(), "go", RunOptions.DEFAULT).await();
      ApprovalRequest request = store.approvals(ApprovalQuery.pending(10)).getFirst();
      assertThat(request.approversRequired()).isEqualTo(2);

      assertThat(engine.approve(request.id(), "alice", null).status()).isEqualTo(ApprovalStatus.PENDING);
      assertThatThrownBy(() -> engine.approve(request.id(), "alice", "me again")).isInstanceOf(ConflictException.class)
          .hasMessageContaining("2 different people");
      Thread.sleep(50);
      assertThat(store.find(waiting.id()).orElseThrow().status()).isEqualTo(RunStatus.WAITING_APPROVAL);
      assertThat(critical.calls).isEmpty();

      ApprovalRequest approved = engine.approve(request.id(), "bob", null);

      assertThat(approved.approvedBy()).containsExactly("alice", "bob");
      awaitStatus(waiting.id(), RunStatus.COMPLETED);
      assertThat(critical.calls).hasSize(1);
    }
  }

  @Test
  void a_blocked_call_never_executes_and_the_model_is_told_why() throws Exception {
    safety = new SafetyEngine(SafetySettings.DEFAULT, Policies.parse("""
        id: no-risky
        match: {tools: [risky]}
        set: {action: block}
        """, "test"));
    try (var engine = engine(callThenAnswer("risky"))) {
      Run run = engine.start(agent(), "go", RunOptions.DEFAULT).await();

      assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
      assertThat(risky.calls).isEmpty();
      List<RunEvent> events = store.events(run.id(), 0).stream().map(RecordedEvent::event).toList();
      SafetyDecided decision = events.stream().filter(SafetyDecided.class::isInstance).map(SafetyDecided.class::cast).findFirst().orElseThrow();
      assertThat(decision.action()).isEqualTo(Action.BLOCK);
      assertThat(decision.policy()).isEqualTo("no-risky");
      assertThat(events).noneMatch(e -> e instanceof RunEvent.ToolCallStarted || e instanceof ApprovalRequested);
      assertThat(events).filteredOn(ToolCallFailed.class::isInstance).singleElement()
          .satisfies(e -> assertThat(((ToolCallFailed) e).error()).contains("blocked", "no-risky"));
    }
  }

  @Test
  void a_waiting_run_is_approved_in_a_new_engine_after_a_restart() throws Exception {
    String runId;
    try (var first = engine(callThenAnswer("risky"))) {
      runId = first.start(agent(), "go", RunOptions.DEFAULT).await().id();
      first.stop(Duration.ofSeconds(1));
    }
    try (var second = engine(callThenAnswer("risky"))) {
      assertThat(second.resume(runId).await().status()).as("the restart resumes it, and it goes on waiting")
          .isEqualTo(RunStatus.WAITING_APPROVAL);
      String id = store.approvals(ApprovalQuery.pending(10)).getFirst().id();

      second.approve(id, "alice", null);

      assertThat(awaitStatus(runId, RunStatus.COMPLETED).output()).isEqualTo("finished");
      assertThat(risky.calls).hasSize(1);
    }
  }

  @Test
  void cancelling_a_waiting_run_rejects_its_request() throws Exception {
    try (var engine = engine(callThenAnswer("risky"))) {
      Run waiting = engine.start(agent(), "go", RunOptions.DEFAULT).await();
      String id = store.approvals(ApprovalQuery.pending(10)).getFirst().id();

      engine.cancel(waiting.id(), "changed my mind");

      assertThat(store.find(waiting.id()).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(store.approval(id).orElseThrow().status()).isEqualTo(ApprovalStatus.REJECTED);
      assertThat(store.approvals(ApprovalQuery.pending(10))).isEmpty();
      assertThatThrownBy(() -> engine.approve(id, "alice", null)).isInstanceOf(ConflictException.class);
      assertThatThrownBy(() -> engine.approve("apr_unknown", "alice", null)).isInstanceOf(NotFoundException.class);
    }
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
