package dev.maestro.engine.audit;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.auth.Workspace;
import dev.maestro.engine.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The audit trail of one workspace kept in memory: for tests and embedding without a database. */
public final class InMemoryAuditLog implements AuditLog {
  private final String workspaceId;
  private final Clock clock;
  private final List<AuditEntry> entries = new ArrayList<>();

  public InMemoryAuditLog(String workspaceId) {
    this(workspaceId, Clock.systemUTC());
  }

  public InMemoryAuditLog(String workspaceId, Clock clock) {
    this.workspaceId = Workspace.checkId(workspaceId);
    this.clock = clock;
  }

  @Override
  public synchronized AuditEntry append(AuditRecord record) {
    AuditEntry last = entries.isEmpty() ? null : entries.getLast();
    AuditEntry entry = AuditChain.next(workspaceId, last == null ? 1 : last.seq() + 1, clock.instant(), record,
        last == null ? AuditChain.GENESIS : last.hash());
    entries.add(entry);
    return copy(entry);
  }

  @Override
  public List<AuditEntry> list(AuditQuery query) {
    if (query.limit() > AuditQuery.MAX_LIST) {
      throw tooMany(query.limit());
    }
    return select(query);
  }

  private synchronized List<AuditEntry> select(AuditQuery query) {
    var out = new ArrayList<AuditEntry>();
    for (AuditEntry e : entries) {
      if (out.size() >= query.limit()) {
        break;
      }
      if (query.matches(e)) {
        out.add(copy(e));
      }
    }
    return out;
  }

  @Override
  public Verification verify() {
    return verify(0, null);
  }

  @Override
  public synchronized Verification verify(long anchorSeq, String anchorHash) {
    return AuditChain.verify(entries, anchorSeq, anchorHash);
  }

  @Override
  public void export(AuditQuery query, Writer out) {
    try {
      for (AuditEntry e : select(query)) {
        out.write(Json.write(e));
        out.write('\n');
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the audit export: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized Optional<AuditEntry> head() {
    return entries.isEmpty() ? Optional.empty() : Optional.of(copy(entries.getLast()));
  }

  /** Replaces the entry with this seq as it is stored, hash untouched: for tests of {@link #verify()}. */
  synchronized void tamper(long seq, UnaryOperator<AuditEntry> change) {
    entries.replaceAll(e -> e.seq() == seq ? change.apply(e) : e);
  }

  /** Removes the entry with this seq: for tests of {@link #verify()}. */
  synchronized void remove(long seq) {
    entries.removeIf(e -> e.seq() == seq);
  }

  // JsonNode is mutable: a caller changing the details it was given must not change the log.
  private static AuditEntry copy(AuditEntry e) {
    return e.details() == null ? e : new AuditEntry(e.workspaceId(), e.seq(), e.at(), e.actor(), e.action(), e.target(), e.decision(),
        e.policy(), e.details().deepCopy(), e.prevHash(), e.hash());
  }

  static InvalidInputException tooMany(int limit) {
    return new InvalidInputException("limit is " + limit + "; list at most " + AuditQuery.MAX_LIST
        + " entries at a time (page with after_seq), or export them");
  }
}
