package dev.maestro.store.jdbc;

import dev.maestro.engine.MaestroException;
import dev.maestro.engine.audit.AuditEntry;
import dev.maestro.engine.audit.AuditRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Jdbi;

/**
 * Group commit of audit appends ({@link GroupCommitter}): each workspace's share of a batch in one
 * transaction, so eight threads appending at once cost about as many commits as one, and this
 * process's appenders never contend for a workspace's head row (other processes sharing the
 * database still do, and take turns on it). Callers block until their entry is committed.
 */
final class AuditCommitter extends GroupCommitter<AuditCommitter.Pending> {
  record Pending(JdbcAuditLog log, AuditRecord record, CompletableFuture<AuditEntry> result) {}

  private final Jdbi jdbi;
  private final Dialect dialect;

  AuditCommitter(Jdbi jdbi, Dialect dialect) {
    super("maestro-audit-committer", new Pending(null, null, new CompletableFuture<>()));
    this.jdbi = jdbi;
    this.dialect = dialect;
  }

  /** Queues the record and waits until it is committed as the next entry of its log's chain, or refused. */
  AuditEntry append(JdbcAuditLog log, AuditRecord record) {
    var pending = new Pending(log, record, new CompletableFuture<>());
    return submit(pending, pending.result(), "the store is closed; cannot append to the audit trail");
  }

  @Override
  void failAll(List<Pending> batch, Throwable e) {
    batch.forEach(p -> p.result().completeExceptionally(new MaestroException("cannot append to the audit trail: " + DataSources.rootMessage(e), e)));
  }

  @Override
  void commit(List<Pending> batch) {
    Map<String, List<Pending>> byWorkspace = new LinkedHashMap<>();
    batch.forEach(p -> byWorkspace.computeIfAbsent(p.log().workspaceId(), w -> new ArrayList<>()).add(p));
    var written = new ArrayList<Pending>(batch.size());
    var entries = new ArrayList<AuditEntry>(batch.size());
    for (List<Pending> group : byWorkspace.values()) {
      write(group, written, entries);
    }
    try {
      dialect.writeThrough(jdbi);
    } catch (RuntimeException e) {
      // Committed, and visible to readers, but perhaps not on disk: say so rather than retry.
      written.forEach(p -> p.result().completeExceptionally(new MaestroException("the audit entry was appended but the database could not"
          + " write it to its file: " + DataSources.rootMessage(e) + "; check that the data directory is writable and not full", e)));
      return;
    }
    for (int i = 0; i < written.size(); i++) {
      written.get(i).result().complete(entries.get(i));
    }
  }

  /** Writes one workspace's records in one transaction; if that fails for a reason that may be one record's, each alone. */
  private static void write(List<Pending> group, List<Pending> written, List<AuditEntry> entries) {
    try {
      entries.addAll(group.getFirst().log().write(group.stream().map(Pending::record).toList()));
      written.addAll(group);
    } catch (RuntimeException e) {
      if (group.size() == 1 || (e instanceof MaestroException m && m.retryable())) {
        // Alone, or the database is unreachable: trying each again would only make each wait as long.
        group.forEach(p -> p.result().completeExceptionally(e));
        return;
      }
      for (Pending p : group) {
        write(List.of(p), written, entries);
      }
    }
  }
}
