package dev.maestro.store.jdbc;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.run.ApprovalStatus;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.TraceEntry;
import dev.maestro.store.jdbc.PendingAppend.RunKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The appends of one transaction. Each is checked against its run's last sequence number (as
 * changed by the appends before it in the batch), folded into the run's projection, and written
 * with one batched statement per table. An append that does not fit is refused on its own; the
 * others go ahead.
 *
 * <p>A run's state comes from {@link KnownRuns} when the committer wrote it last, else from its row,
 * read and locked with {@code SELECT ... FOR UPDATE}. Either way the projection update only applies
 * if last_seq is still what the state says; if not, {@link StaleRuns} rolls the batch back to be
 * tried again with those runs read from the database. The (run_id, seq) key is the final guard.
 */
final class AppendBatch {
  // Keeps IN lists well under any driver's parameter limit (PostgreSQL: 65,535).
  private static final int LOCK_CHUNK = 500;

  private final Dialect dialect;
  private final KnownRuns known;
  private final Map<RunKey, Run> runs = new HashMap<>();
  /** Projection rows that exist, with the last_seq they had when the batch began. */
  private final Map<RunKey, Long> stored = new HashMap<>();
  private final Map<RunKey, Run> changed = new LinkedHashMap<>();
  private final List<EventRow> eventRows = new ArrayList<>();
  private final List<TraceRow> traceRows = new ArrayList<>();
  private final List<ApprovalRow> approvalRows = new ArrayList<>();
  private final List<Object> outcomes = new ArrayList<>();

  private record EventRow(String workspaceId, RecordedEvent event, String payload) {}

  private record TraceRow(String workspaceId, TraceEntry entry) {}

  /** An approval event, which inserts (requested) or updates (granted, rejected) its request's row. */
  private record ApprovalRow(String workspaceId, String agentId, RecordedEvent event) {}

  /**
   * What the batch did, once committed.
   *
   * @param outcomes for each append, in order, its recorded events or the exception that refused it
   * @param changed the runs' projections as written
   */
  record Result(List<Object> outcomes, Map<RunKey, Run> changed) {}

  /** The known state of these runs was out of date; the transaction must be rolled back and tried again. */
  static final class StaleRuns extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient List<RunKey> keys;

    StaleRuns(List<RunKey> keys) {
      super("runs changed by another writer: " + keys, null, false, false);
      this.keys = keys;
    }
  }

  AppendBatch(Dialect dialect, KnownRuns known) {
    this.dialect = dialect;
    this.known = known;
  }

  /**
   * Writes the batch in the handle's open transaction.
   *
   * @throws StaleRuns if a run was changed by another writer since the committer last saw it
   */
  Result write(Handle handle, List<PendingAppend> appends) {
    readRuns(handle, appends);
    for (PendingAppend append : appends) {
      try {
        outcomes.add(plan(append));
      } catch (RuntimeException refused) {
        outcomes.add(refused);
      }
    }
    writeRuns(handle);
    writeEvents(handle);
    writeTraces(handle);
    writeApprovals(handle);
    return new Result(outcomes, changed);
  }

  private void readRuns(Handle handle, List<PendingAppend> appends) {
    var toRead = new TreeMap<String, TreeSet<String>>();
    var seen = new HashSet<RunKey>();
    for (PendingAppend a : appends) {
      RunKey key = a.key();
      if (!seen.add(key)) {
        continue;
      }
      Run run = known.get(key);
      if (run != null && run.lastSeq() == a.expectedLastSeq()) {
        runs.put(key, run);
        stored.put(key, run.lastSeq());
      } else if (run != null || a.expectedLastSeq() != 0) {
        // Refusing an append takes the database's word, never the memory's: it may be behind.
        toRead.computeIfAbsent(a.workspaceId(), w -> new TreeSet<>()).add(a.runId());
      }
      // else a new run: if it exists after all, inserting its row fails on the primary key.
    }
    toRead.forEach((workspace, ids) -> lock(handle, workspace, new ArrayList<>(ids)));
  }

  /** Reads and locks projection rows, in id order so that two processes cannot deadlock on them. */
  private void lock(Handle handle, String workspace, List<String> ids) {
    for (int from = 0; from < ids.size(); from += LOCK_CHUNK) {
      handle.createQuery("SELECT " + RunRows.RUN_COLUMNS + " FROM agent_runs"
              + " WHERE workspace_id = :workspace_id AND id IN (<ids>) ORDER BY id FOR UPDATE")
          .bind("workspace_id", workspace)
          .bindList("ids", ids.subList(from, Math.min(from + LOCK_CHUNK, ids.size())))
          .map(RunRows.RUN)
          .forEach(run -> {
            var key = new RunKey(workspace, run.id());
            runs.put(key, run);
            stored.put(key, run.lastSeq());
          });
    }
  }

  private List<RecordedEvent> plan(PendingAppend append) {
    RunKey key = append.key();
    Run before = runs.get(key);
    long last = before == null ? 0 : before.lastSeq();
    if (before == null && append.expectedLastSeq() != 0) {
      throw new ConflictException("run '" + append.runId() + "' has no log to append to; begin it with run_created");
    }
    if (last != append.expectedLastSeq()) {
      throw new ConflictException("run '" + append.runId() + "' log is at seq " + last + ", not "
          + append.expectedLastSeq() + "; another writer appended first");
    }
    if (before != null && before.status().terminal()) {
      throw new ConflictException("run '" + append.runId() + "' is already " + before.status().wire());
    }
    var recorded = new ArrayList<RecordedEvent>(append.events().size());
    Run run = before;
    for (RunEvent event : append.events()) {
      var e = new RecordedEvent(append.runId(), ++last, append.at(), event);
      run = run == null ? Run.created(e) : run.apply(e);
      recorded.add(e);
    }
    List<TraceEntry> traces = TraceEntry.project(before, recorded);
    // Nothing below can fail, so the batch only changes for appends that are accepted.
    for (int i = 0; i < recorded.size(); i++) {
      eventRows.add(new EventRow(append.workspaceId(), recorded.get(i), append.payloads().get(i)));
    }
    traces.forEach(t -> traceRows.add(new TraceRow(append.workspaceId(), t)));
    for (RecordedEvent e : recorded) {
      if (e.event() instanceof RunEvent.ApprovalRequested || e.event() instanceof RunEvent.ApprovalGranted
          || e.event() instanceof RunEvent.ApprovalRejected) {
        approvalRows.add(new ApprovalRow(append.workspaceId(), run.agentId(), e));
      }
    }
    runs.put(key, run);
    changed.put(key, run);
    return List.copyOf(recorded);
  }

  private void writeRuns(Handle handle) {
    PreparedBatch inserts = handle.prepareBatch(RunRows.INSERT_RUN);
    PreparedBatch updates = handle.prepareBatch(RunRows.UPDATE_RUN);
    var updated = new ArrayList<RunKey>();
    changed.forEach((key, run) -> {
      Long storedSeq = stored.get(key);
      if (storedSeq == null) {
        bindChanges(inserts, key.workspaceId(), run)
            .bind("agent_id", run.agentId())
            .bind("input", dialect.text(run.input()))
            .bind("model", dialect.text(run.model()))
            .bind("created_at", run.createdAt())
            .add();
      } else {
        bindChanges(updates, key.workspaceId(), run).bind("stored_seq", storedSeq).add();
        updated.add(key);
      }
    });
    execute(inserts);
    int[] counts = execute(updates);
    var stale = new ArrayList<RunKey>();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 0) {
        stale.add(updated.get(i));
      }
    }
    if (!stale.isEmpty()) {
      throw new StaleRuns(stale);
    }
  }

  /** Binds the columns an update may change, which an insert sets too. */
  private PreparedBatch bindChanges(PreparedBatch batch, String workspaceId, Run run) {
    return batch
        .bind("workspace_id", workspaceId)
        .bind("id", run.id())
        .bind("status", run.status().wire())
        .bind("output", dialect.text(run.output()))
        .bind("error", dialect.text(run.error()))
        .bind("steps", run.steps())
        .bind("tool_calls", run.toolCalls())
        .bind("input_tokens", run.inputTokens())
        .bind("output_tokens", run.outputTokens())
        .bind("cached_tokens", run.cachedTokens())
        .bind("started_at", run.startedAt())
        .bind("ended_at", run.endedAt())
        .bind("updated_at", run.updatedAt())
        .bind("last_seq", run.lastSeq());
  }

  private void writeEvents(Handle handle) {
    PreparedBatch batch = handle.prepareBatch(RunRows.INSERT_EVENT);
    for (EventRow row : eventRows) {
      RecordedEvent e = row.event();
      batch.bind("workspace_id", row.workspaceId())
          .bind("run_id", e.runId())
          .bind("seq", e.seq())
          .bind("type", e.event().type())
          .bind("at", e.at())
          .bind("payload", row.payload())
          .add();
    }
    execute(batch);
  }

  private void writeTraces(Handle handle) {
    PreparedBatch batch = handle.prepareBatch(RunRows.INSERT_TRACE);
    for (TraceRow row : traceRows) {
      TraceEntry t = row.entry();
      batch.bind("workspace_id", row.workspaceId())
          .bind("run_id", t.runId())
          .bind("seq", t.seq())
          .bind("step", t.step())
          .bind("kind", t.kind().wire())
          .bind("content", dialect.text(t.content()))
          .bind("tool", dialect.text(t.tool()))
          .bind("call_id", dialect.text(t.callId()))
          .bind("tokens", t.tokens())
          .bind("latency_ms", t.latencyMs())
          .bind("at", t.at())
          .add();
    }
    execute(batch);
  }

  /** Requests first, so that a request and its resolution in one batch insert before they update. */
  private void writeApprovals(Handle handle) {
    if (approvalRows.isEmpty()) {
      return;
    }
    PreparedBatch inserts = handle.prepareBatch(RunRows.INSERT_APPROVAL);
    PreparedBatch grants = handle.prepareBatch(RunRows.GRANT_APPROVAL);
    PreparedBatch rejections = handle.prepareBatch(RunRows.REJECT_APPROVAL);
    for (ApprovalRow row : approvalRows) {
      RecordedEvent e = row.event();
      switch (e.event()) {
        case RunEvent.ApprovalRequested r -> inserts.bind("workspace_id", row.workspaceId())
            .bind("id", r.requestId())
            .bind("run_id", e.runId())
            .bind("agent_id", row.agentId())
            .bind("call_id", r.callId())
            .bind("tool", r.tool())
            .bind("arguments", dialect.text(r.arguments() == null ? null : r.arguments().toString()))
            .bind("risk", r.risk().wire())
            .bind("status", ApprovalStatus.PENDING.wire())
            .bind("approvals_required", r.approvers())
            .bind("approvals", "[]")
            .bind("deadline", r.deadline().truncatedTo(Sql.TIME_PRECISION))
            .bind("policy", dialect.text(r.policy()))
            .bind("reason", dialect.text(r.reason()))
            .bind("created_at", e.at())
            .add();
        case RunEvent.ApprovalGranted g -> grants.bind("workspace_id", row.workspaceId())
            .bind("id", g.requestId())
            .bind("approvals", Json.write(g.approvedBy()))
            .bind("status", (g.approved() ? ApprovalStatus.APPROVED : ApprovalStatus.PENDING).wire())
            .bind("resolved_by", g.approved() ? g.approver() : null)
            .bind("resolved_at", g.approved() ? e.at() : null)
            .bind("comment", dialect.text(g.comment()))
            .add();
        case RunEvent.ApprovalRejected r -> rejections.bind("workspace_id", row.workspaceId())
            .bind("id", r.requestId())
            .bind("status", (r.expired() ? ApprovalStatus.EXPIRED : ApprovalStatus.REJECTED).wire())
            .bind("resolved_by", r.by())
            .bind("resolved_at", e.at())
            .bind("comment", dialect.text(r.comment()))
            .add();
        default -> throw new IllegalStateException("not an approval event: " + e.event().type());
      }
    }
    execute(inserts);
    execute(grants);
    execute(rejections);
  }

  private static int[] execute(PreparedBatch batch) {
    return batch.size() == 0 ? new int[0] : batch.execute();
  }
}
