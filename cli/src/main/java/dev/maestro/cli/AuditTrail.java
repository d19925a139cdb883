package dev.maestro.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.audit.AuditLog;
import dev.maestro.engine.audit.AuditRecord;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
  private static final AuditRecord STOP = AuditRecord.of("engine", "stop", null, null);

  private final AuditLog log;
  private final BlockingQueue<AuditRecord> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong done = new AtomicLong();

  AuditTrail(AuditLog log, String workspaceId) {
    this.log = log;
    this.writer = Thread.ofVirtual().name("audit-" + workspaceId).start(this::write);
  }

  @Override
  public void onEvents(List<RecordedEvent> events) {
    for (RecordedEvent e : events) {
      AuditRecord record = record(e);
      if (record == null) {
        continue;
      }
      if ("allow".equals(record.decision())) {
        queued.incrementAndGet();
        queue.add(record);
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

  private void write() {
    while (true) {
      AuditRecord record;
      try {
        record = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (record == STOP) {
        return;
      }
      try {
        append(record);
      } finally {
        done.incrementAndGet();
      }
    }
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
    queue.add(STOP);
    try {
      writer.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until everything queued so far is appended (for tests and orderly shutdown). */
  void flush() throws InterruptedException {
    long target = queued.get();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (done.get() < target && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }
}
