package dev.maestro.engine.audit;

import dev.maestro.engine.internal.Json;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

class InMemoryAuditLogTest extends AuditLogContract {
  private final Map<String, InMemoryAuditLog> logs = new HashMap<>();

  @Override
  protected AuditLog open(String workspaceId, Clock clock) {
    return logs.computeIfAbsent(workspaceId, id -> new InMemoryAuditLog(id, clock));
  }

  @Override
  protected void change(long seq, String column, String value) {
    logs.get(WORKSPACE).tamper(seq, e -> switch (column) {
      case "actor" -> new AuditEntry(e.workspaceId(), e.seq(), e.at(), value, e.action(), e.target(), e.decision(), e.policy(), e.details(),
          e.prevHash(), e.hash());
      case "details" -> new AuditEntry(e.workspaceId(), e.seq(), e.at(), e.actor(), e.action(), e.target(), e.decision(), e.policy(),
          Json.tree(value), e.prevHash(), e.hash());
      case "hash" -> new AuditEntry(e.workspaceId(), e.seq(), e.at(), e.actor(), e.action(), e.target(), e.decision(), e.policy(), e.details(),
          e.prevHash(), value);
      default -> throw new IllegalArgumentException(column);
    });
  }

  @Override
  protected void remove(long seq) {
    logs.get(WORKSPACE).remove(seq);
  }
}
