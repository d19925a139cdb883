package dev.maestro.benchmarks;

import dev.maestro.engine.run.Durability;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunQuery;
import dev.maestro.engine.run.RunStore;
import dev.maestro.engine.run.TraceEntry;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A run store that times each append of the store it wraps, so a step's time can be split into
 * time in the store and time in the engine. For one run at a time (not thread-safe).
 */
final class TimedRunStore implements RunStore {
  private final RunStore store;
  private long[] appendNanos = new long[1024];
  private int appends;

  TimedRunStore(RunStore store) {
    this.store = store;
  }

  @Override
  public List<RecordedEvent> append(String runId, long expectedLastSeq, Instant at, List<? extends RunEvent> events, Durability durability) {
    long t0 = System.nanoTime();
    List<RecordedEvent> recorded = store.append(runId, expectedLastSeq, at, events, durability);
    long took = System.nanoTime() - t0;
    if (appends == appendNanos.length) {
      appendNanos = Arrays.copyOf(appendNanos, appends * 2);
    }
    appendNanos[appends++] = took;
    return recorded;
  }

  /** The appends timed since the last reset, in nanoseconds. */
  long[] appendNanos() {
    return Arrays.copyOf(appendNanos, appends);
  }

  void reset() {
    appends = 0;
  }

  @Override
  public Optional<Run> find(String runId) {
    return store.find(runId);
  }

  @Override
  public List<RecordedEvent> events(String runId, long afterSeq) {
    return store.events(runId, afterSeq);
  }

  @Override
  public List<Run> list(RunQuery query) {
    return store.list(query);
  }

  @Override
  public List<TraceEntry> traces(String runId) {
    return store.traces(runId);
  }

  @Override
  public List<String> unfinished() {
    return store.unfinished();
  }

  @Override
  public List<dev.maestro.engine.run.ApprovalRequest> approvals(dev.maestro.engine.run.ApprovalQuery query) {
    return store.approvals(query);
  }

  @Override
  public List<dev.maestro.engine.run.UsageTotal> usage(String agentId, java.time.Instant since) {
    return store.usage(agentId, since);
  }

  @Override
  public Optional<dev.maestro.engine.run.ApprovalRequest> approval(String requestId) {
    return store.approval(requestId);
  }

  @Override
  public List<dev.maestro.engine.run.RunAggregate> aggregate(dev.maestro.engine.run.RunAggregateQuery query) {
    return store.aggregate(query);
  }

  @Override
  public List<dev.maestro.engine.run.ToolOutcome> toolOutcomes(Instant since, Instant until) {
    return store.toolOutcomes(since, until);
  }

  @Override
  public List<Run> top(dev.maestro.engine.run.RunRanking ranking, Instant since, Instant until, int limit) {
    return store.top(ranking, since, until, limit);
  }
}
