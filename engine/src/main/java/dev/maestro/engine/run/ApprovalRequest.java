package dev.maestro.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.run.RunEvent.ApprovalGranted;
import dev.maestro.engine.run.RunEvent.ApprovalRejected;
import dev.maestro.engine.run.RunEvent.ApprovalRequested;
import dev.maestro.engine.tool.RiskLevel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;

/**
 * A tool call waiting for (or resolved by) people: the projection of a run's approval events that
 * the approvals queue and its history read. Stores keep it next to the log, changed in the same
 * transaction as the events it folds.
 *
 * @param approvedBy the people who approved it, in order
 * @param resolvedBy who approved last, who rejected, or {@code system} when it expired
 */
public record ApprovalRequest(
    String id,
    String runId,
    String agentId,
    String callId,
    String tool,
    JsonNode arguments,
    RiskLevel risk,
    String policy,
    String reason,
    int approversRequired,
    List<String> approvedBy,
    ApprovalStatus status,
    Instant createdAt,
    Instant deadline,
    Instant resolvedAt,
    String resolvedBy,
    String comment) {

  public ApprovalRequest {
    approvedBy = approvedBy == null ? List.of() : List.copyOf(approvedBy);
  }

  static ApprovalRequest requested(String agentId, RecordedEvent e, ApprovalRequested r) {
    return new ApprovalRequest(r.requestId(), e.runId(), agentId, r.callId(), r.tool(), r.arguments(), r.risk(), r.policy(), r.reason(),
        r.approvers(), List.of(), ApprovalStatus.PENDING, e.at(), r.deadline(), null, null, null);
  }

  ApprovalRequest granted(Instant at, ApprovalGranted g) {
    return new ApprovalRequest(id, runId, agentId, callId, tool, arguments, risk, policy, reason, approversRequired, g.approvedBy(),
        g.approved() ? ApprovalStatus.APPROVED : ApprovalStatus.PENDING, createdAt, deadline, g.approved() ? at : null,
        g.approved() ? g.approver() : null, g.comment());
  }

  ApprovalRequest rejected(Instant at, ApprovalRejected r) {
    return new ApprovalRequest(id, runId, agentId, callId, tool, arguments, risk, policy, reason, approversRequired, approvedBy,
        r.expired() ? ApprovalStatus.EXPIRED : ApprovalStatus.REJECTED, createdAt, deadline, at, r.by(), r.comment());
  }

  /**
   * The requests among these events, each as it stands after them; a request changed by several of
   * the events appears once. {@code known} gives requests begun in earlier appends.
   */
  static List<ApprovalRequest> project(String agentId, List<RecordedEvent> events, Function<String, ApprovalRequest> known) {
    var changed = new LinkedHashMap<String, ApprovalRequest>();
    for (RecordedEvent e : events) {
      switch (e.event()) {
        case ApprovalRequested r -> changed.put(r.requestId(), requested(agentId, e, r));
        case ApprovalGranted g -> {
          ApprovalRequest before = changed.containsKey(g.requestId()) ? changed.get(g.requestId()) : known.apply(g.requestId());
          if (before != null) {
            changed.put(g.requestId(), before.granted(e.at(), g));
          }
        }
        case ApprovalRejected r -> {
          ApprovalRequest before = changed.containsKey(r.requestId()) ? changed.get(r.requestId()) : known.apply(r.requestId());
          if (before != null) {
            changed.put(r.requestId(), before.rejected(e.at(), r));
          }
        }
        default -> {}
      }
    }
    return new ArrayList<>(changed.values());
  }

  /** Whether these events change any approval request (most appends do not). */
  static boolean touches(List<RecordedEvent> events) {
    for (RecordedEvent e : events) {
      if (e.event() instanceof ApprovalRequested || e.event() instanceof ApprovalGranted || e.event() instanceof ApprovalRejected) {
        return true;
      }
    }
    return false;
  }
}
