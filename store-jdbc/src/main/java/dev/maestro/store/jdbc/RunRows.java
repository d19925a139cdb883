package dev.maestro.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.run.ApprovalRequest;
import dev.maestro.engine.run.ApprovalStatus;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunStatus;
import dev.maestro.engine.run.TraceEntry;
import java.io.UncheckedIOException;
import dev.maestro.engine.tool.RiskLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.mapper.RowMapper;

/** How runs, events and trace entries map to rows of agent_runs, run_events and agent_reasoning_traces. */
final class RunRows {
  static final String RUN_COLUMNS = "id, agent_id, status, input, output, error, model, steps, tool_calls,"
      + " input_tokens, output_tokens, cached_tokens, created_at, started_at, ended_at, updated_at, last_seq";

  static final String INSERT_RUN = "INSERT INTO agent_runs (workspace_id, " + RUN_COLUMNS + ") VALUES (:workspace_id,"
      + " :id, :agent_id, :status, :input, :output, :error, :model, :steps, :tool_calls, :input_tokens, :output_tokens,"
      + " :cached_tokens, :created_at, :started_at, :ended_at, :updated_at, :last_seq)";

  // A run's id, agent, input, model and creation time never change after run_created. The last_seq
  // condition makes the update a compare-and-set: it changes nothing if another writer got there first.
  static final String UPDATE_RUN = "UPDATE agent_runs SET status = :status, output = :output, error = :error,"
      + " steps = :steps, tool_calls = :tool_calls, input_tokens = :input_tokens, output_tokens = :output_tokens,"
      + " cached_tokens = :cached_tokens, started_at = :started_at, ended_at = :ended_at, updated_at = :updated_at,"
      + " last_seq = :last_seq WHERE workspace_id = :workspace_id AND id = :id AND last_seq = :stored_seq";

  static final String INSERT_EVENT = "INSERT INTO run_events (workspace_id, run_id, seq, type, at, payload)"
      + " VALUES (:workspace_id, :run_id, :seq, :type, :at, :payload)";

  static final String TRACE_COLUMNS = "run_id, seq, step, kind, content, tool, call_id, tokens, latency_ms, at";

  static final String INSERT_TRACE = "INSERT INTO agent_reasoning_traces (workspace_id, " + TRACE_COLUMNS + ")"
      + " VALUES (:workspace_id, :run_id, :seq, :step, :kind, :content, :tool, :call_id, :tokens, :latency_ms, :at)";

  static final String APPROVAL_COLUMNS = "id, run_id, agent_id, call_id, tool, arguments, risk, policy, reason, approvals_required,"
      + " approvals, status, created_at, deadline, resolved_at, resolved_by, comment";

  static final String INSERT_APPROVAL = "INSERT INTO hitl_requests (workspace_id, id, run_id, agent_id, call_id, tool, arguments,"
      + " risk, status, approvals_required, approvals, deadline, policy, reason, created_at) VALUES (:workspace_id, :id, :run_id,"
      + " :agent_id, :call_id, :tool, :arguments, :risk, :status, :approvals_required, :approvals, :deadline, :policy, :reason,"
      + " :created_at)";

  static final String GRANT_APPROVAL = "UPDATE hitl_requests SET approvals = :approvals, status = :status, resolved_by = :resolved_by,"
      + " resolved_at = :resolved_at, comment = :comment WHERE workspace_id = :workspace_id AND id = :id";

  static final String REJECT_APPROVAL = "UPDATE hitl_requests SET status = :status, resolved_by = :resolved_by,"
      + " resolved_at = :resolved_at, comment = :comment WHERE workspace_id = :workspace_id AND id = :id";

  static final RowMapper<ApprovalRequest> APPROVAL = (rs, ctx) -> new ApprovalRequest(
      rs.getString("id"),
      rs.getString("run_id"),
      rs.getString("agent_id"),
      rs.getString("call_id"),
      rs.getString("tool"),
      rs.getString("arguments") == null ? null : Json.tree(rs.getString("arguments")),
      RiskLevel.parse(rs.getString("risk")),
      rs.getString("policy"),
      rs.getString("reason"),
      rs.getInt("approvals_required"),
      strings(rs.getString("approvals")),
      ApprovalStatus.parse(rs.getString("status")),
      Sql.instant(rs, "created_at"),
      Sql.instant(rs, "deadline"),
      Sql.instant(rs, "resolved_at"),
      rs.getString("resolved_by"),
      rs.getString("comment"));

  private static List<String> strings(String json) {
    var out = new ArrayList<String>();
    if (json != null) {
      Json.tree(json).forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  static final RowMapper<Run> RUN = (rs, ctx) -> new Run(
      rs.getString("id"),
      rs.getString("agent_id"),
      RunStatus.parse(rs.getString("status")),
      rs.getString("input"),
      rs.getString("output"),
      rs.getString("error"),
      rs.getString("model"),
      rs.getInt("steps"),
      rs.getInt("tool_calls"),
      rs.getLong("input_tokens"),
      rs.getLong("output_tokens"),
      rs.getLong("cached_tokens"),
      Sql.instant(rs, "created_at"),
      Sql.instant(rs, "started_at"),
      Sql.instant(rs, "ended_at"),
      Sql.instant(rs, "updated_at"),
      rs.getLong("last_seq"));

  static final RowMapper<TraceEntry> TRACE = (rs, ctx) -> new TraceEntry(
      rs.getString("run_id"),
      rs.getLong("seq"),
      rs.getInt("step"),
      TraceEntry.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
      rs.getString("content"),
      rs.getString("tool"),
      rs.getString("call_id"),
      rs.getLong("tokens"),
      rs.getLong("latency_ms"),
      Sql.instant(rs, "at"));

  static RowMapper<RecordedEvent> event(String runId) {
    return (rs, ctx) -> new RecordedEvent(runId, rs.getLong("seq"), Sql.instant(rs, "at"), readEvent(rs.getString("payload")));
  }

  private RunRows() {}

  static String writeEvent(RunEvent event) {
    return Json.write(event);
  }

  private static RunEvent readEvent(String payload) {
    try {
      return Json.MAPPER.readValue(payload, RunEvent.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("a stored run event is not valid JSON for this version of Maestro: " + e.getOriginalMessage(), e);
    }
  }
}
