package dev.maestro.store.jdbc;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.run.RecordedEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of run-log appends ({@link GroupCommitter}): each batch in one transaction, with the
 * runs' projections, and each append refused on its own when it does not fit.
 */
final class AppendCommitter extends GroupCommitter<PendingAppend> {
  private static final Logger log = LoggerFactory.getLogger(AppendCommitter.class);

  // Unfinished runs remembered; a run that is not must be read before it is appended to.
  private static final int KNOWN_RUNS = 20_000;

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final KnownRuns known = new KnownRuns(KNOWN_RUNS);

  AppendCommitter(Jdbi jdbi, Dialect dialect) {
    super("maestro-append-committer", new PendingAppend("", "", 0, null, List.of(), List.of(), false, new CompletableFuture<>()));
    this.jdbi = jdbi;
    this.dialect = dialect;
  }

  /** Queues the append and waits until it is committed (returning what was recorded) or refused (throwing why). */
  List<RecordedEvent> append(PendingAppend append) {
    return submit(append, append.result(), "the run store is closed; cannot append to run '" + append.runId() + "'");
  }

  @Override
  void failAll(List<PendingAppend> batch, Throwable e) {
    batch.forEach(a -> a.result().completeExceptionally(
        new MaestroException("cannot append to run '" + a.runId() + "': " + DataSources.rootMessage(e), e)));
  }

  @Override
  void commit(List<PendingAppend> batch) {
    AppendBatch.Result result;
    long started = System.nanoTime();
    // One append that must be durable makes the whole batch durable (and, on both databases, every
    // deferred commit before it, which is what Durability.DEFERRED promises).
    boolean durable = !dialect.defersDurability() || batch.stream().anyMatch(a -> !a.deferred());
    try {
      result = writeAll(batch, durable);
    } catch (RuntimeException e) {
      batch.forEach(a -> known.forget(a.key()));
      if (batch.size() == 1 || !retryAlone(e)) {
        batch.forEach(a -> a.result().completeExceptionally(failure(a, e)));
      } else {
        // One append's rows broke the transaction (a run id taken by another process, say);
        // committing each alone makes only that one fail.
        log.debug("batch of {} appends failed ({}); committing each alone", batch.size(), DataSources.rootMessage(e));
        batch.forEach(a -> commit(List.of(a)));
      }
      return;
    }
    result.changed().forEach(known::committed);
    try {
      if (durable) {
        dialect.writeThrough(jdbi);
      }
    } catch (RuntimeException e) {
      // Committed, and visible to readers, but perhaps not on disk: say so rather than retry.
      batch.forEach(a -> a.result().completeExceptionally(new MaestroException("run '" + a.runId()
          + "' was appended to but the database could not write it to its file: " + DataSources.rootMessage(e)
          + "; check that the data directory is writable and not full", e)));
      return;
    }
    if (log.isTraceEnabled()) {
      log.trace("committed {} appends in {} us", batch.size(), (System.nanoTime() - started) / 1000);
    }
    for (int i = 0; i < batch.size(); i++) {
      Object outcome = result.outcomes().get(i);
      if (outcome instanceof RuntimeException refused) {
        batch.get(i).result().completeExceptionally(refused);
      } else {
        @SuppressWarnings("unchecked")
        var recorded = (List<RecordedEvent>) outcome;
        batch.get(i).result().complete(recorded);
      }
    }
  }

  private AppendBatch.Result writeAll(List<PendingAppend> batch, boolean durable) {
    while (true) {
      try {
        return jdbi.inTransaction(handle -> {
          if (!durable) {
            dialect.deferDurability(handle);
          }
          return new AppendBatch(dialect, known).write(handle, batch);
        });
      } catch (AppendBatch.StaleRuns stale) {
        // Another process appended to these runs; the next attempt reads (and locks) their rows.
        stale.keys.forEach(known::forget);
      }
    }
  }

  /** Whether the failure may belong to one append; not when the database cannot be reached at all. */
  private static boolean retryAlone(Throwable e) {
    String state = Sql.sqlState(e);
    return !(e instanceof ConnectionException) && (state == null || !state.startsWith("08"));
  }

  private static MaestroException failure(PendingAppend append, Throwable e) {
    if (Sql.isDuplicateKey(e)) {
      return append.expectedLastSeq() == 0
          ? new ConflictException("run '" + append.runId() + "' already exists; a new run needs a new id")
          : new ConflictException("run '" + append.runId() + "' was appended to by another writer at the same time"
              + " (sequence number " + (append.expectedLastSeq() + 1) + " is taken); reload it and decide again");
    }
    return Sql.failed("append to run '" + append.runId() + "'", e);
  }
}
