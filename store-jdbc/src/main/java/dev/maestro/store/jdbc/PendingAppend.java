package dev.maestro.store.jdbc;

import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.RunEvent;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One caller's append, waiting for the committer; {@link #result} completes once it is committed
 * or refused.
 *
 * @param payloads the events as JSON, written by the caller so the committer does not have to
 * @param deferred whether the append may reach the disk after it is acknowledged ({@link
 *     dev.maestro.engine.run.Durability#DEFERRED})
 */
record PendingAppend(
    String workspaceId,
    String runId,
    long expectedLastSeq,
    Instant at,
    List<RunEvent> events,
    List<String> payloads,
    boolean deferred,
    CompletableFuture<List<RecordedEvent>> result) {

  RunKey key() {
    return new RunKey(workspaceId, runId);
  }

  /** A run is named by its workspace and its id. */
  record RunKey(String workspaceId, String runId) {}
}
