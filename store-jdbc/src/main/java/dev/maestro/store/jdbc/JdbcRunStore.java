package dev.maestro.store.jdbc;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.run.ApprovalQuery;
import dev.maestro.engine.run.ApprovalRequest;
import dev.maestro.engine.run.Durability;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunAggregate;
import dev.maestro.engine.run.RunAggregateQuery;
import dev.maestro.engine.run.RunQuery;
import dev.maestro.engine.run.RunRanking;
import dev.maestro.engine.run.ToolOutcome;
import dev.maestro.engine.run.RunStatus;
import dev.maestro.engine.run.RunStore;
import dev.maestro.engine.run.TraceEntry;
import dev.maestro.engine.run.UsageTotal;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Run logs of one workspace. Appends go through the shared {@link AppendCommitter}; reads go
 * straight to the pool and never wait for it.
 */
final class JdbcRunStore implements RunStore {
  // agent_runs.id is VARCHAR(128)
  private static final int MAX_RUN_ID = 128;
  private static final List<String> UNFINISHED =
      Arrays.stream(RunStatus.values()).filter(s -> !s.terminal()).map(RunStatus::wire).toList();

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final AppendCommitter committer;
  private final String workspaceId;

  private final FinishedRuns finishedRuns;

  JdbcRunStore(Jdbi jdbi, Dialect dialect, AppendCommitter committer, FinishedRuns finishedRuns, String workspaceId) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.committer = committer;
    this.finishedRuns = finishedRuns;
    this.workspaceId = workspaceId;
  }

  @Override
  public List<RecordedEvent> append(String runId, long expectedLastSeq, Instant at, List<? extends RunEvent> events, Durability durability) {
    Objects.requireNonNull(at, "at");
    if (runId == null || runId.isEmpty() || runId.length() > MAX_RUN_ID) {
      throw new InvalidInputException("run id '" + runId + "' is not valid; use 1 to " + MAX_RUN_ID + " characters");
    }
    if (events.isEmpty()) {
      return List.of();
    }
    List<RunEvent> copy = List.copyOf(events);
    List<String> payloads = copy.stream().map(RunRows::writeEvent).toList();
    return committer.append(new PendingAppend(workspaceId, runId, expectedLastSeq, at.truncatedTo(Sql.TIME_PRECISION),
        copy, payloads, durability == Durability.DEFERRED, new CompletableFuture<>()));
  }

  @Override
  public Optional<Run> find(String runId) {
    var key = new PendingAppend.RunKey(workspaceId, runId);
    Run finished = finishedRuns.get(key);
    if (finished != null) {
      return Optional.of(finished);
    }
    Optional<Run> run = Sql.call("read run '" + runId + "'", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT " + RunRows.RUN_COLUMNS + " FROM agent_runs WHERE workspace_id = :workspace_id AND id = :id")
            .bind("workspace_id", workspaceId)
            .bind("id", runId)
            .map(RunRows.RUN)
            .findOne()));
    run.ifPresent(r -> finishedRuns.remember(key, r));
    return run;
  }

  @Override
  public List<RecordedEvent> events(String runId, long afterSeq) {
    return Sql.call("read the events of run '" + runId + "'", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT seq, at, payload FROM run_events"
                + " WHERE workspace_id = :workspace_id AND run_id = :run_id AND seq > :after ORDER BY seq")
            .bind("workspace_id", workspaceId)
            .bind("run_id", runId)
            .bind("after", afterSeq)
            .map(RunRows.event(runId))
            .list()));
  }

  @Override
  public List<Run> list(RunQuery q) {
    var where = new StringBuilder("workspace_id = :workspace_id");
    // Leading with the columns fixed by equality changes nothing in the result, but lets H2 read
    // the matching index in order rather than sort every run of the workspace.
    String order = q.agentId() != null ? "workspace_id, agent_id," : q.status() != null ? "workspace_id, status," : "workspace_id,";
    if (q.agentId() != null) {
      where.append(" AND agent_id = :agent_id");
    }
    if (q.status() != null) {
      where.append(" AND status = :status");
    }
    if (q.createdAfter() != null) {
      where.append(" AND created_at >= :created_after");
    }
    if (q.createdBefore() != null) {
      where.append(" AND created_at < :created_before");
    }
    return Sql.call("list runs", () -> jdbi.withHandle(h -> {
      Query query = h.createQuery("SELECT " + RunRows.RUN_COLUMNS + " FROM agent_runs WHERE " + where
              + " ORDER BY " + order + " created_at DESC, id DESC LIMIT :limit OFFSET :offset")
          .bind("workspace_id", workspaceId)
          .bind("limit", q.limit())
          .bind("offset", q.offset());
      if (q.agentId() != null) {
        query.bind("agent_id", q.agentId());
      }
      if (q.status() != null) {
        query.bind("status", q.status().wire());
      }
      if (q.createdAfter() != null) {
        query.bind("created_after", q.createdAfter());
      }
      if (q.createdBefore() != null) {
        query.bind("created_before", q.createdBefore());
      }
      return query.map(RunRows.RUN).list();
    }));
  }

  @Override
  public List<TraceEntry> traces(String runId) {
    return Sql.call("read the trace of run '" + runId + "'", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT " + RunRows.TRACE_COLUMNS + " FROM agent_reasoning_traces"
                + " WHERE workspace_id = :workspace_id AND run_id = :run_id ORDER BY seq")
            .bind("workspace_id", workspaceId)
            .bind("run_id", runId)
            .map(RunRows.TRACE)
            .list()));
  }

  @Override
  public List<ApprovalRequest> approvals(ApprovalQuery q) {
    var where = new StringBuilder("workspace_id = :workspace_id");
    if (q.status() != null) {
      where.append(" AND status = :status");
    }
    if (q.agentId() != null) {
      where.append(" AND agent_id = :agent_id");
    }
    if (q.runId() != null) {
      where.append(" AND run_id = :run_id");
    }
    if (q.tool() != null) {
      where.append(" AND tool = :tool");
    }
    if (q.createdAfter() != null) {
      where.append(" AND created_at >= :created_after");
    }
    if (q.createdBefore() != null) {
      where.append(" AND created_at < :created_before");
    }
    if (q.deadlineBefore() != null) {
      where.append(" AND deadline < :deadline_before");
    }
    return Sql.call("list approval requests", () -> jdbi.withHandle(h -> {
      Query query = h.createQuery("SELECT " + RunRows.APPROVAL_COLUMNS + " FROM hitl_requests WHERE " + where
              + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
          .bind("workspace_id", workspaceId)
          .bind("limit", q.limit())
          .bind("offset", q.offset());
      if (q.status() != null) {
        query.bind("status", q.status().wire());
      }
      if (q.agentId() != null) {
        query.bind("agent_id", q.agentId());
      }
      if (q.runId() != null) {
        query.bind("run_id", q.runId());
      }
      if (q.tool() != null) {
        query.bind("tool", q.tool());
      }
      if (q.createdAfter() != null) {
        query.bind("created_after", q.createdAfter());
      }
      if (q.createdBefore() != null) {
        query.bind("created_before", q.createdBefore());
      }
      if (q.deadlineBefore() != null) {
        query.bind("deadline_before", q.deadlineBefore());
      }
      return query.map(RunRows.APPROVAL).list();
    }));
  }

  @Override
  public Optional<ApprovalRequest> approval(String requestId) {
    return Sql.call("read approval request '" + requestId + "'", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT " + RunRows.APPROVAL_COLUMNS + " FROM hitl_requests WHERE workspace_id = :workspace_id AND id = :id")
            .bind("workspace_id", workspaceId)
            .bind("id", requestId)
            .map(RunRows.APPROVAL)
            .findOne()));
  }

  @Override
  public List<UsageTotal> usage(String agentId, Instant since) {
    return Sql.call("sum the usage of agent '" + agentId + "'", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT model, COUNT(*) AS runs, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,"
                + " SUM(cached_tokens) AS cached_tokens FROM agent_runs"
                + " WHERE workspace_id = :workspace_id AND agent_id = :agent_id AND created_at >= :since GROUP BY model")
            .bind("workspace_id", workspaceId)
            .bind("agent_id", agentId)
            .bind("since", since)
            .map((rs, ctx) -> new UsageTotal(rs.getString("model"), rs.getLong("runs"), rs.getLong("input_tokens"),
                rs.getLong("output_tokens"), rs.getLong("cached_tokens")))
            .list()));
  }

  @Override
  public List<String> unfinished() {
    return Sql.call("list unfinished runs", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT id FROM agent_runs WHERE workspace_id = :workspace_id AND status IN (<statuses>)"
                + " ORDER BY created_at, id")
            .bind("workspace_id", workspaceId)
            .bindList("statuses", UNFINISHED)
            .mapTo(String.class)
            .list()));
  }

  private static final Comparator<RunAggregate> AGGREGATE_ORDER = Comparator.comparing(RunAggregate::bucket)
      .thenComparing(RunAggregate::agentId, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(RunAggregate::model, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(a -> a.status() == null ? null : a.status().wire(), Comparator.nullsFirst(Comparator.naturalOrder()));

  /** A run's duration in milliseconds, from creation to end (null while unfinished). */
  private String durationMs() {
    return dialect.millisBetween("created_at", "ended_at");
  }

  @Override
  public List<RunAggregate> aggregate(RunAggregateQuery q) {
    // The bucket's number is computed in a derived table, so that the outer query groups by its
    // name: PostgreSQL accepts an expression with parameters in SELECT and GROUP BY only if the two
    // are the same parameter, which JDBC's positional ones are not.
    String bucket = q.bucket() == null ? "0"
        : "FLOOR(" + dialect.millisBetween("CAST(:origin AS TIMESTAMP WITH TIME ZONE)", "created_at") + " / " + q.bucket().toMillis() + ")";
    var groups = new StringBuilder("b");
    if (q.byAgent()) {
      groups.append(", agent_id");
    }
    if (q.byModel()) {
      groups.append(", model");
    }
    if (q.byStatus()) {
      groups.append(", status");
    }
    String sql = "SELECT " + groups + ", COUNT(*) AS runs, COUNT(d) AS finished, SUM(input_tokens) AS input_tokens,"
        + " SUM(output_tokens) AS output_tokens, SUM(cached_tokens) AS cached_tokens,"
        + " PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY d) AS p50, PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY d) AS p95, MAX(d) AS max_ms"
        + " FROM (SELECT " + bucket + " AS b, agent_id, model, status, input_tokens, output_tokens, cached_tokens, " + durationMs() + " AS d"
        + " FROM agent_runs WHERE workspace_id = :workspace_id AND created_at >= :since AND created_at < :until) t GROUP BY " + groups;
    List<RunAggregate> rows = Sql.call("count runs", () -> jdbi.withHandle(h -> {
      Query query = h.createQuery(sql)
          .bind("workspace_id", workspaceId)
          .bind("since", q.since())
          .bind("until", q.until());
      if (q.bucket() != null) {
        query.bind("origin", q.since());
      }
      return query.map((rs, ctx) -> new RunAggregate(
              q.bucket() == null ? q.since() : q.since().plusMillis(rs.getLong("b") * q.bucket().toMillis()),
              q.byAgent() ? rs.getString("agent_id") : null,
              q.byModel() ? rs.getString("model") : null,
              q.byStatus() ? RunStatus.parse(rs.getString("status")) : null,
              rs.getLong("runs"), rs.getLong("finished"), rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cached_tokens"),
              millis(rs.getBigDecimal("p50")), millis(rs.getBigDecimal("p95")), millis(rs.getBigDecimal("max_ms"))))
          .list();
    }));
    return rows.stream().sorted(AGGREGATE_ORDER).toList();
  }

  @Override
  public List<ToolOutcome> toolOutcomes(Instant since, Instant until) {
    // Every tool outcome is an observation of the trace, at the seq of its event. Counts and
    // durations come from the observations alone. Which of them failed only the event's type says
    // exactly; a failure's observation always begins "error: ", so only those few are joined to
    // their events (a completed call whose output happens to begin so is not counted as failed).
    String window = " FROM agent_reasoning_traces t WHERE t.workspace_id = :workspace_id AND t.kind = 'observation'"
        + " AND t.at >= :since AND t.at < :until";
    return Sql.call("count tool outcomes", () -> jdbi.withHandle(h -> {
      var failed = new java.util.HashMap<String, Long>();
      h.createQuery("SELECT t.tool, COUNT(*) AS failed FROM agent_reasoning_traces t JOIN run_events e ON e.run_id = t.run_id AND e.seq = t.seq"
              + " WHERE t.workspace_id = :workspace_id AND t.kind = 'observation' AND t.at >= :since AND t.at < :until"
              + " AND t.content LIKE 'error: %' AND e.type = 'tool_call_failed' GROUP BY t.tool")
          .bind("workspace_id", workspaceId)
          .bind("since", since)
          .bind("until", until)
          .map((rs, ctx) -> java.util.Map.entry(rs.getString("tool"), rs.getLong("failed")))
          .forEach(e -> failed.put(e.getKey(), e.getValue()));
      return h.createQuery("SELECT t.tool, COUNT(*) AS calls, PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY t.latency_ms) AS p95,"
              + " MAX(t.latency_ms) AS max_ms" + window + " GROUP BY t.tool")
          .bind("workspace_id", workspaceId)
          .bind("since", since)
          .bind("until", until)
          .map((rs, ctx) -> {
            long f = failed.getOrDefault(rs.getString("tool"), 0L);
            return new ToolOutcome(rs.getString("tool"), rs.getLong("calls") - f, f, millis(rs.getBigDecimal("p95")), rs.getLong("max_ms"));
          })
          .list();
    })).stream().sorted(Comparator.comparing(ToolOutcome::tool)).toList();
  }

  @Override
  public List<Run> top(RunRanking ranking, Instant since, Instant until, int limit) {
    if (limit < 1 || limit > 1000) {
      throw new InvalidInputException("limit is " + limit + "; ask for 1 to 1000 runs at a time");
    }
    String filter = ranking == RunRanking.LONGEST ? " AND ended_at IS NOT NULL" : "";
    String order = switch (ranking) {
      case LONGEST -> durationMs();
      case MOST_TOKENS -> "input_tokens + output_tokens";
    };
    return Sql.call("rank runs", () -> jdbi.withHandle(h -> h.createQuery("SELECT " + RunRows.RUN_COLUMNS + " FROM agent_runs"
            + " WHERE workspace_id = :workspace_id AND created_at >= :since AND created_at < :until" + filter
            + " ORDER BY " + order + " DESC, created_at DESC, id DESC LIMIT :limit")
        .bind("workspace_id", workspaceId)
        .bind("since", since)
        .bind("until", until)
        .bind("limit", limit)
        .map(RunRows.RUN)
        .list()));
  }

  private static long millis(BigDecimal value) {
    return value == null ? 0 : value.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
  }
}
