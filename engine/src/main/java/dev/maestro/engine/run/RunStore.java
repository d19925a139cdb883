package dev.maestro.engine.run;

import dev.maestro.engine.ConflictException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where run logs are kept, within one workspace. Appends are atomic: the events and the
 * projections queries read ({@link Run}, {@link TraceEntry}, {@link ApprovalRequest}) change together or not at all.
 * Implementations: {@link InMemoryRunStore}, and the JDBC store for H2 and PostgreSQL; all pass
 * the same contract tests.
 */
public interface RunStore {

  /**
   * Appends events to a run's log, numbering them {@code expectedLastSeq + 1, + 2, ...}. A new run's
   * log is begun with {@code expectedLastSeq = 0} and a {@link RunEvent.RunCreated} first.
   *
   * @return the events as recorded
   * @throws ConflictException if the log's last sequence number is not {@code expectedLastSeq}
   *     (another writer got there first) or the run is already finished
   */
  default List<RecordedEvent> append(String runId, long expectedLastSeq, Instant at, List<? extends RunEvent> events) {
    return append(runId, expectedLastSeq, at, events, Durability.IMMEDIATE);
  }

  /**
   * Appends as {@link #append(String, long, Instant, List)} does, with the given durability: {@link
   * Durability#DEFERRED} lets a store skip waiting for its disk, for events a resume can recover.
   */
  List<RecordedEvent> append(String runId, long expectedLastSeq, Instant at, List<? extends RunEvent> events, Durability durability);

  Optional<Run> find(String runId);

  /** The run's events with a sequence number greater than {@code afterSeq}, oldest first. */
  List<RecordedEvent> events(String runId, long afterSeq);

  /** Runs matching the query, newest first. */
  List<Run> list(RunQuery query);

  /** The run's reasoning trace, in log order. */
  List<TraceEntry> traces(String runId);

  /** Approval requests matching the query, newest first. */
  List<ApprovalRequest> approvals(ApprovalQuery query);

  Optional<ApprovalRequest> approval(String requestId);

  /** Tokens used by the agent's runs created at or after {@code since}, per model. */
  List<UsageTotal> usage(String agentId, Instant since);

  /** Ids of runs that are not finished (pending, running or waiting for approval), oldest first. */
  List<String> unfinished();

  /**
   * Runs of a window counted by the store (grouped queries over the runs' summaries, never by
   * reading them all out), for dashboards; groups with no run are left out. Ordered by bucket, then
   * by agent, model and status when grouped on (nulls first).
   */
  List<RunAggregate> aggregate(RunAggregateQuery query);

  /** How the tool calls recorded in {@code [since, until)} ended, per tool, by tool name. */
  List<ToolOutcome> toolOutcomes(Instant since, Instant until);

  /**
   * The first {@code limit} (1-1000) runs created in {@code [since, until)} by the ranking; ties go to the
   * newest (by creation time, then id).
   */
  List<Run> top(RunRanking ranking, Instant since, Instant until, int limit);
}
