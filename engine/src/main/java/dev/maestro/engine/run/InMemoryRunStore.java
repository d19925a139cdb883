package dev.maestro.engine.run;

import dev.maestro.engine.ConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Run logs kept in memory: for tests, benchmarks and embedding the engine without a database. */
public final class InMemoryRunStore implements RunStore {

  private static final class Log {
    final List<RecordedEvent> events = new ArrayList<>();
    final List<TraceEntry> traces = new ArrayList<>();
    Run run;
  }

  private final ConcurrentMap<String, Log> logs = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, ApprovalRequest> approvals = new ConcurrentHashMap<>();

  @Override
  public List<RecordedEvent> append(String runId, long expectedLastSeq, Instant at, List<? extends RunEvent> events, Durability durability) {
    if (events.isEmpty()) {
      return List.of();
    }
    Log log = expectedLastSeq == 0 ? logs.computeIfAbsent(runId, id -> new Log()) : logs.get(runId);
    if (log == null) {
      throw new ConflictException("run '" + runId + "' has no log to append to; begin it with run_created");
    }
    synchronized (log) {
      long last = log.events.size();
      if (last != expectedLastSeq) {
        throw new ConflictException("run '" + runId + "' log is at seq " + last + ", not " + expectedLastSeq + "; another writer appended first");
      }
      if (log.run != null && log.run.status().terminal()) {
        throw new ConflictException("run '" + runId + "' is already " + log.run.status().wire());
      }
      var recorded = new ArrayList<RecordedEvent>(events.size());
      Run run = log.run;
      for (RunEvent event : events) {
        var e = new RecordedEvent(runId, ++last, at, event);
        run = run == null ? Run.created(e) : run.apply(e);
        recorded.add(e);
      }
      log.traces.addAll(TraceEntry.project(log.run, recorded));
      log.events.addAll(recorded);
      log.run = run;
      if (ApprovalRequest.touches(recorded)) {
        ApprovalRequest.project(run.agentId(), recorded, approvals::get).forEach(a -> approvals.put(a.id(), a));
      }
      return List.copyOf(recorded);
    }
  }

  @Override
  public Optional<Run> find(String runId) {
    Log log = logs.get(runId);
    if (log == null) {
      return Optional.empty();
    }
    synchronized (log) {
      return Optional.ofNullable(log.run);
    }
  }

  @Override
  public List<RecordedEvent> events(String runId, long afterSeq) {
    Log log = logs.get(runId);
    if (log == null) {
      return List.of();
    }
    synchronized (log) {
      int from = (int) Math.min(Math.max(afterSeq, 0), log.events.size());
      return List.copyOf(log.events.subList(from, log.events.size()));
    }
  }

  @Override
  public List<Run> list(RunQuery q) {
    return logs.values().stream()
        .map(log -> {
          synchronized (log) {
            return log.run;
          }
        })
        .filter(r -> r != null)
        .filter(r -> q.agentId() == null || q.agentId().equals(r.agentId()))
        .filter(r -> q.status() == null || q.status() == r.status())
        .filter(r -> q.createdAfter() == null || !r.createdAt().isBefore(q.createdAfter()))
        .filter(r -> q.createdBefore() == null || r.createdAt().isBefore(q.createdBefore()))
        .sorted(Comparator.comparing(Run::createdAt).thenComparing(Run::id).reversed())
        .skip(q.offset())
        .limit(q.limit())
        .toList();
  }

  @Override
  public List<TraceEntry> traces(String runId) {
    Log log = logs.get(runId);
    if (log == null) {
      return List.of();
    }
    synchronized (log) {
      return List.copyOf(log.traces);
    }
  }

  @Override
  public List<ApprovalRequest> approvals(ApprovalQuery q) {
    return approvals.values().stream()
        .filter(a -> q.status() == null || q.status() == a.status())
        .filter(a -> q.agentId() == null || q.agentId().equals(a.agentId()))
        .filter(a -> q.runId() == null || q.runId().equals(a.runId()))
        .filter(a -> q.tool() == null || q.tool().equals(a.tool()))
        .filter(a -> q.createdAfter() == null || !a.createdAt().isBefore(q.createdAfter()))
        .filter(a -> q.createdBefore() == null || a.createdAt().isBefore(q.createdBefore()))
        .filter(a -> q.deadlineBefore() == null || a.deadline().isBefore(q.deadlineBefore()))
        .sorted(Comparator.comparing(ApprovalRequest::createdAt).thenComparing(ApprovalRequest::id).reversed())
        .skip(q.offset())
        .limit(q.limit())
        .toList();
  }

  @Override
  public Optional<ApprovalRequest> approval(String requestId) {
    return Optional.ofNullable(requestId == null ? null : approvals.get(requestId));
  }

  @Override
  public List<UsageTotal> usage(String agentId, Instant since) {
    var totals = new java.util.LinkedHashMap<String, UsageTotal>();
    for (Log log : logs.values()) {
      Run r;
      synchronized (log) {
        r = log.run;
      }
      if (r == null || !agentId.equals(r.agentId()) || r.createdAt().isBefore(since)) {
        continue;
      }
      totals.merge(String.valueOf(r.model()), new UsageTotal(r.model(), 1, r.inputTokens(), r.outputTokens(), r.cachedTokens()),
          (a, b) -> new UsageTotal(a.model(), a.runs() + 1, a.inputTokens() + b.inputTokens(), a.outputTokens() + b.outputTokens(),
              a.cachedTokens() + b.cachedTokens()));
    }
    return List.copyOf(totals.values());
  }

  @Override
  public List<RunAggregate> aggregate(RunAggregateQuery q) {
    record Key(Instant bucket, String agentId, String model, RunStatus status) {}
    var groups = new java.util.TreeMap<Key, List<Run>>(Comparator.comparing(Key::bucket)
        .thenComparing(Key::agentId, Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(Key::model, Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(Key::status, Comparator.nullsFirst(Comparator.comparing(RunStatus::wire))));
    for (Run r : runs()) {
      if (r.createdAt().isBefore(q.since()) || !r.createdAt().isBefore(q.until())) {
        continue;
      }
      var key = new Key(q.bucketOf(r.createdAt()), q.byAgent() ? r.agentId() : null, q.byModel() ? r.model() : null,
          q.byStatus() ? r.status() : null);
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }
    var result = new ArrayList<RunAggregate>(groups.size());
    groups.forEach((key, runs) -> {
      double[] durations = runs.stream().filter(r -> r.endedAt() != null).mapToDouble(InMemoryRunStore::durationMs).toArray();
      result.add(new RunAggregate(key.bucket(), key.agentId(), key.model(), key.status(), runs.size(), durations.length,
          runs.stream().mapToLong(Run::inputTokens).sum(), runs.stream().mapToLong(Run::outputTokens).sum(),
          runs.stream().mapToLong(Run::cachedTokens).sum(), Percentiles.continuous(durations, 0.5),
          Percentiles.continuous(durations, 0.95), Math.round(java.util.Arrays.stream(durations).max().orElse(0))));
    });
    return result;
  }

  @Override
  public List<ToolOutcome> toolOutcomes(Instant since, Instant until) {
    var completed = new java.util.TreeMap<String, long[]>();
    var durations = new java.util.HashMap<String, List<Double>>();
    for (Log log : logs.values()) {
      synchronized (log) {
        for (RecordedEvent e : log.events) {
          if (e.at().isBefore(since) || !e.at().isBefore(until)) {
            continue;
          }
          String tool;
          long ms;
          boolean ok;
          switch (e.event()) {
            case RunEvent.ToolCallCompleted c -> {
              tool = c.tool();
              ms = c.durationMs();
              ok = true;
            }
            case RunEvent.ToolCallFailed f -> {
              tool = f.tool();
              ms = f.durationMs();
              ok = false;
            }
            default -> {
              continue;
            }
          }
          completed.computeIfAbsent(tool, t -> new long[2])[ok ? 0 : 1]++;
          durations.computeIfAbsent(tool, t -> new ArrayList<>()).add((double) ms);
        }
      }
    }
    var result = new ArrayList<ToolOutcome>(completed.size());
    completed.forEach((tool, counts) -> {
      double[] ms = durations.get(tool).stream().mapToDouble(Double::doubleValue).toArray();
      result.add(new ToolOutcome(tool, counts[0], counts[1], Percentiles.continuous(ms, 0.95),
          Math.round(java.util.Arrays.stream(ms).max().orElse(0))));
    });
    return result;
  }

  @Override
  public List<Run> top(RunRanking ranking, Instant since, Instant until, int limit) {
    if (limit < 1 || limit > 1000) {
      throw new dev.maestro.engine.InvalidInputException("limit is " + limit + "; ask for 1 to 1000 runs at a time");
    }
    Comparator<Run> newest = Comparator.comparing(Run::createdAt).thenComparing(Run::id).reversed();
    Comparator<Run> order = switch (ranking) {
      case LONGEST -> Comparator.comparingDouble(InMemoryRunStore::durationMs).reversed().thenComparing(newest);
      case MOST_TOKENS -> Comparator.comparingLong(Run::totalTokens).reversed().thenComparing(newest);
    };
    return runs().stream()
        .filter(r -> !r.createdAt().isBefore(since) && r.createdAt().isBefore(until))
        .filter(r -> ranking != RunRanking.LONGEST || r.endedAt() != null)
        .sorted(order)
        .limit(limit)
        .toList();
  }

  private List<Run> runs() {
    var runs = new ArrayList<Run>();
    for (Log log : logs.values()) {
      synchronized (log) {
        if (log.run != null) {
          runs.add(log.run);
        }
      }
    }
    return runs;
  }

  private static double durationMs(Run r) {
    return java.time.Duration.between(r.createdAt(), r.endedAt()).toNanos() / 1e6;
  }

  @Override
  public List<String> unfinished() {
    return logs.values().stream()
        .map(log -> {
          synchronized (log) {
            return log.run;
          }
        })
        .filter(r -> r != null && !r.status().terminal())
        .sorted(Comparator.comparing(Run::createdAt).thenComparing(Run::id))
        .map(Run::id)
        .toList();
  }
}
