package dev.maestro.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.audit.AuditLog;
import dev.maestro.engine.audit.AuditRecord;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunListener;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a workspace's safety decisions and approval outcomes from its runs' logs into its audit
 * trail. The run log has them first, durably. Decisions that need attention (log, approval, block)
 * and approval outcomes are appended at once, before the run goes on; plain allows, the bulk of a
 * busy workspace's calls, are appended by one background thread, so a run does not wait for the
 * audit chain's lock on every step. Closing drains what is queued.
 */
final class AuditTrail implements RunListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
  private final AuditLog log;
  private final ExecutorService writer;

  AuditTrail(AuditLog log, String workspaceId) {
    this.log = log;
    this.writer = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("audit-" + workspaceId).factory());
  }

  @Override
  public void onEvents(List<RecordedEvent> events) {
    for (RecordedEvent e : events) {
      AuditRecord record = record(e);
      if (record == null) {
        continue;
      }
      if ("allow".equals(record.decision())) {
        writer.execute(() -> append(record));
      } else {
        append(record);
      }
    }
  }

  static AuditRecord record(RecordedEvent e) {
    String actor = "run:" + e.runId();
    return switch (e.event()) {
      case RunEvent.SafetyDecided d -> new AuditRecord(actor, "safety.decision", e.runId() + "/" + d.callId(), d.action().wire(),
          policy(d.policy()), details(d.tool(), d.risk().wire(), d.reason()));
      case RunEvent.ApprovalRequested a -> new AuditRecord(actor, "approval.request", a.requestId(), "require_approval",
          policy(a.policy()), details(a.tool(), a.risk().wire(), a.reason()).put("approvers", a.approvers())
              .put("deadline", a.deadline().toString()));
      case RunEvent.ApprovalGranted g -> new AuditRecord("person:" + g.approver(), "approval.approve", g.requestId(),
          g.approved() ? "approved" : "approval_noted", null, comment(g.comment()).put("run_id", e.runId()));
      case RunEvent.ApprovalRejected r -> new AuditRecord(r.expired() ? "system" : "person:" + r.by(), "approval.reject", r.requestId(),
          r.expired() ? "expired" : "rejected", null, comment(r.comment()).put("run_id", e.runId()));
      default -> null;
    };
  }

  private static String policy(String policy) {
    return policy == null || policy.equals("default") || policy.equals("builtin") ? null : policy;
  }

  private static ObjectNode details(String tool, String risk, String reason) {
    return Json.MAPPER.createObjectNode().put("tool", tool).put("risk", risk).put("reason", reason);
  }

  private static ObjectNode comment(String comment) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    if (comment != null) {
      node.put("comment", comment);
    }
    return node;
  }

  private void append(AuditRecord record) {
    try {
      log.append(record);
    } catch (RuntimeException e) {
      LOG.error("could not append {} on {} to the audit trail", record.action(), record.target(), e);
    }
  }

  /** Appends what is queued, then stops. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
