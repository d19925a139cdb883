package dev.maestro.engine.run;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.safety.Action;
import dev.maestro.engine.tool.RiskLevel;
import java.time.Instant;
import java.util.List;

/**
 * One immutable fact in a run's log. The log is the run: its status, trace, cost and the state a
 * resumed run continues from are all folded from these events. Sequence numbers and times are on
 * the {@link RecordedEvent} that wraps each one.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = RunEvent.RunCreated.class, name = "run_created"),
  @JsonSubTypes.Type(value = RunEvent.RunStarted.class, name = "run_started"),
  @JsonSubTypes.Type(value = RunEvent.ModelCalled.class, name = "model_called"),
  @JsonSubTypes.Type(value = RunEvent.Thought.class, name = "thought"),
  @JsonSubTypes.Type(value = RunEvent.ToolCallRequested.class, name = "tool_call_requested"),
  @JsonSubTypes.Type(value = RunEvent.ToolCallStarted.class, name = "tool_call_started"),
  @JsonSubTypes.Type(value = RunEvent.ToolCallCompleted.class, name = "tool_call_completed"),
  @JsonSubTypes.Type(value = RunEvent.ToolCallFailed.class, name = "tool_call_failed"),
  @JsonSubTypes.Type(value = RunEvent.SafetyDecided.class, name = "safety_decision"),
  @JsonSubTypes.Type(value = RunEvent.ApprovalRequested.class, name = "approval_requested"),
  @JsonSubTypes.Type(value = RunEvent.ApprovalGranted.class, name = "approval_granted"),
  @JsonSubTypes.Type(value = RunEvent.ApprovalRejected.class, name = "approval_rejected"),
  @JsonSubTypes.Type(value = RunEvent.RunCompleted.class, name = "run_completed"),
  @JsonSubTypes.Type(value = RunEvent.RunFailed.class, name = "run_failed"),
  @JsonSubTypes.Type(value = RunEvent.RunCancelled.class, name = "run_cancelled"),
  @JsonSubTypes.Type(value = RunEvent.MemoryRecalled.class, name = "memory_recalled"),
})
public sealed interface RunEvent {

  /** The event's wire name, as written in the log ({@code model_called}, ...). */
  default String type() {
    return switch (this) {
      case RunCreated x -> "run_created";
      case RunStarted x -> "run_started";
      case ModelCalled x -> "model_called";
      case Thought x -> "thought";
      case ToolCallRequested x -> "tool_call_requested";
      case ToolCallStarted x -> "tool_call_started";
      case ToolCallCompleted x -> "tool_call_completed";
      case ToolCallFailed x -> "tool_call_failed";
      case SafetyDecided x -> "safety_decision";
      case ApprovalRequested x -> "approval_requested";
      case ApprovalGranted x -> "approval_granted";
      case ApprovalRejected x -> "approval_rejected";
      case RunCompleted x -> "run_completed";
      case RunFailed x -> "run_failed";
      case RunCancelled x -> "run_cancelled";
      case MemoryRecalled x -> "memory_recalled";
    };
  }

  /** The run exists: which agent (a snapshot of its spec), on what input, with which model. */
  record RunCreated(String agentId, AgentSpec agent, String input, String model, String workdir) implements RunEvent {}

  /** An execution began: the first one, or a resume after a crash, restart or approval. */
  record RunStarted(boolean resumed, String worker) implements RunEvent {}

  /**
   * The model answered. Holds the raw response so a resumed run can rebuild the conversation
   * without calling the model again.
   */
  record ModelCalled(
      int step,
      String model,
      String text,
      List<ToolCall> toolCalls,
      long inputTokens,
      long outputTokens,
      long cachedTokens,
      long latencyMs,
      String finishReason)
      implements RunEvent {
    public ModelCalled {
      toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }
  }

  /** The model's reasoning for a step, as it stated it. */
  record Thought(int step, String text) implements RunEvent {}

  /**
   * The engine will execute this tool call.
   *
   * @param nativeCall true when the model used native tool calling, false for the text protocol
   */
  record ToolCallRequested(int step, String callId, String tool, JsonNode arguments, boolean nativeCall) implements RunEvent {}

  /** Execution of the call began; a started call with no outcome was interrupted by a crash. */
  record ToolCallStarted(String callId, String tool) implements RunEvent {}

  record ToolCallCompleted(String callId, String tool, String output, long durationMs) implements RunEvent {}

  /**
   * The call failed, was refused, or (after a crash) its outcome is unknown; the error is what the
   * model is told.
   */
  record ToolCallFailed(String callId, String tool, String error, long durationMs, boolean outcomeUnknown) implements RunEvent {}

  /**
   * The safety engine's verdict on a tool call, before it executes (or instead of executing it).
   *
   * @param policy the policy that decided the action, {@code default} (the risk's default) or {@code builtin}
   */
  record SafetyDecided(String callId, String tool, RiskLevel risk, Action action, String policy, String reason) implements RunEvent {}

  /**
   * The call waits until {@code approvers} different people approve it, or until the deadline, when
   * it counts as rejected. The run holds no thread meanwhile.
   */
  record ApprovalRequested(
      String requestId,
      String callId,
      String tool,
      JsonNode arguments,
      RiskLevel risk,
      int approvers,
      Instant deadline,
      String policy,
      String reason)
      implements RunEvent {}

  /**
   * One person approved the request.
   *
   * @param approvedBy everyone who has approved it so far, this approver last
   * @param approved whether that is enough: the call may now execute
   */
  record ApprovalGranted(String requestId, String approver, String comment, List<String> approvedBy, boolean approved) implements RunEvent {
    public ApprovalGranted {
      approvedBy = approvedBy == null ? List.of() : List.copyOf(approvedBy);
    }
  }

  /** The request was rejected by a person, or expired ({@code expired}, by {@code system}); the model is told. */
  record ApprovalRejected(String requestId, String by, String comment, boolean expired) implements RunEvent {}

  record RunCompleted(String output) implements RunEvent {}

  /**
   * @param code machine-readable cause: {@code max_steps}, {@code token_budget}, {@code timeout},
   *     {@code model_unavailable}, {@code model_error}, {@code invalid_agent}, {@code internal}
   */
  record RunFailed(String code, String reason) implements RunEvent {}

  record RunCancelled(String reason) implements RunEvent {}

  /**
   * Memories of the agent put into the run's context before the model call of {@code step}: their
   * ids and the text the model reads. A resumed run reads this text instead of recalling again, so
   * its context is the same as before.
   */
  record MemoryRecalled(int step, List<String> memoryIds, String text) implements RunEvent {
    public MemoryRecalled {
      memoryIds = memoryIds == null ? List.of() : List.copyOf(memoryIds);
    }
  }
}
