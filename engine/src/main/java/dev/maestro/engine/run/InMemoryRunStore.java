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
