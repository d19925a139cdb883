package dev.maestro.store.jdbc;

import dev.maestro.engine.MaestroException;
import dev.maestro.engine.audit.AuditEntry;
import dev.maestro.engine.audit.AuditRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Jdbi;

/**
 * Group commit for audit appends, as {@link AppendCommitter} does for run logs: one thread drains the
 * appends waiting in a queue and commits each workspace's share in one transaction, so eight threads
 * appending at once cost about as many commits as one, and this process's appenders never contend
 * for a workspace's head row (other processes sharing the database still do, and take turns on it).
 * Callers block until their entry is committed.
 */
final class AuditCommitter implements AutoCloseable {
  // Big enough to spread a commit over many appends, small enough to keep one transaction short.
  private static final int MAX_BATCH = 1000;

  private record Pending(JdbcAuditLog log, AuditRecord record, CompletableFuture<AuditEntry> result) {}

  private static final Pending STOP = new Pending(null, null, new CompletableFuture<>());

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final ReentrantLock accepting = new ReentrantLock();
  private boolean closed;
  private final Thread thread;

  AuditCommitter(Jdbi jdbi, Dialect dialect) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.thread = Thread.ofPlatform().name("maestro-audit-committer").daemon(true).start(this::run);
  }

  /** Queues the record and waits until it is committed as the next entry of its log's chain, or refused. */
  AuditEntry append(JdbcAuditLog log, AuditRecord record) {
    var pending = new Pending(log, record, new CompletableFuture<>());
    accepting.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the store is closed; cannot append to the audit trail");
      }
      queue.add(pending);
    } finally {
      accepting.unlock();
    }
    try {
      // Not interruptible on purpose: once queued, the entry may commit, and the caller must learn whether it did.
      return pending.result().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Commits what is already queued, then stops the thread. */
  @Override
  public void close() {
    accepting.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(STOP);
    } finally {
      accepting.unlock();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    var batch = new ArrayList<Pending>();
    boolean stopping = false;
    while (!stopping) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue; // only close() stops this thread
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      // STOP is queued last, after which nothing else is accepted.
      stopping = batch.getLast() == STOP;
      if (stopping) {
        batch.removeLast();
      }
      try {
        commit(batch);
      } catch (Throwable e) {
        // Whatever happened, no caller may be left waiting.
        batch.forEach(p -> p.result().completeExceptionally(new MaestroException("cannot append to the audit trail: " + DataSources.rootMessage(e), e)));
      }
      batch.clear();
    }
  }

  private void commit(List<Pending> batch) {
    if (batch.isEmpty()) {
      return;
    }
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
