package dev.maestro.engine.run;

import dev.maestro.engine.agent.AgentKind;
import dev.maestro.engine.run.RunEvent.ModelCalled;
import dev.maestro.engine.run.RunEvent.RunCreated;
import dev.maestro.engine.run.RunEvent.ToolCallCompleted;
import dev.maestro.engine.run.RunEvent.ToolCallFailed;
import dev.maestro.engine.run.RunEvent.ToolCallRequested;
import dev.maestro.engine.run.RunEvent.ToolCallStarted;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything an execution needs to continue a run, folded from its log: the conversation so far
 * (each model turn with its tool calls and their outcomes) and the calls that never finished.
 */
final class RunState {

  /** A tool call and, once known, its outcome. */
  static final class Call {
    final ToolCallRequested request;
    boolean started;
    String outcome;
    boolean failed;

    Call(ToolCallRequested request) {
      this.request = request;
    }

    boolean finished() {
      return outcome != null;
    }
  }

  /** One model turn, the tool calls it asked for, and (once they all finished) its messages for the model. */
  static final class Step {
    final ModelCalled model;
    final List<Call> calls = new ArrayList<>();
    /** Built once the step is finished, so each model call does not rebuild the whole history. */
    List<dev.langchain4j.data.message.ChatMessage> messages;

    Step(ModelCalled model) {
      this.model = model;
    }

    ModelCalled model() {
      return model;
    }

    List<Call> calls() {
      return calls;
    }

    boolean finished() {
      return calls.stream().allMatch(Call::finished);
    }
  }

  final RunCreated created;
  final List<Step> steps = new ArrayList<>();
  final Map<String, Call> calls = new LinkedHashMap<>();
  /** Approval requests by the id of the call they are about. */
  final Map<String, ApprovalRequest> approvals = new LinkedHashMap<>();
  Run run;
  boolean everStarted;
  int thoughts;
  /** The memories recalled into the context ({@code memory_recalled}), or null when none were. */
  String memories;
  /** A workflow's tool calls belong to no model turn. */
  private final boolean workflow;

  private RunState(RunCreated created) {
    this.created = created;
    this.workflow = created.agent().kind() == AgentKind.WORKFLOW;
  }

  static RunState fold(List<RecordedEvent> log) {
    if (log.isEmpty() || !(log.getFirst().event() instanceof RunCreated created)) {
      throw new IllegalStateException("a run's log starts with run_created");
    }
    RunState state = new RunState(created);
    for (RecordedEvent e : log) {
      state.apply(e);
    }
    return state;
  }

  void apply(RecordedEvent e) {
    run = run == null ? Run.created(e) : run.apply(e);
    switch (e.event()) {
      case RunEvent.RunStarted s -> everStarted = true;
      case RunEvent.Thought t -> thoughts++;
      case RunEvent.MemoryRecalled m -> memories = m.text();
      case ModelCalled m -> steps.add(new Step(m));
      case ToolCallRequested r -> {
        Call call = new Call(r);
        calls.put(r.callId(), call);
        if (!workflow) {
          steps.getLast().calls().add(call);
        }
      }
      case RunEvent.ApprovalRequested r -> approvals.put(r.callId(), ApprovalRequest.requested(created.agentId(), e, r));
      case RunEvent.ApprovalGranted g -> approvals.replaceAll((call, a) -> a.id().equals(g.requestId()) ? a.granted(e.at(), g) : a);
      case RunEvent.ApprovalRejected r -> approvals.replaceAll((call, a) -> a.id().equals(r.requestId()) ? a.rejected(e.at(), r) : a);
      case ToolCallStarted s -> calls.get(s.callId()).started = true;
      case ToolCallCompleted c -> calls.get(c.callId()).outcome = c.output();
      case ToolCallFailed f -> {
        Call call = calls.get(f.callId());
        call.outcome = f.error();
        call.failed = true;
      }
      default -> {}
    }
  }

  /** Calls requested but without an outcome, in the order they were asked for. */
  List<Call> unfinishedCalls() {
    return calls.values().stream().filter(c -> !c.finished()).toList();
  }

  /** The pending request that keeps the run waiting, if any: one whose deadline has not passed. */
  ApprovalRequest awaited(java.time.Instant now) {
    for (ApprovalRequest a : approvals.values()) {
      if (a.status() == ApprovalStatus.PENDING && now.isBefore(a.deadline())) {
        return a;
      }
    }
    return null;
  }

  long lastSeq() {
    return run.lastSeq();
  }
}
