package dev.maestro.store.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.learning.Feedback;
import dev.maestro.engine.learning.FeedbackOutcome;
import dev.maestro.engine.learning.FeedbackStore;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/** One workspace's feedback on runs, one row each in {@code agent_learning_feedback}. */
final class JdbcFeedbackStore implements FeedbackStore {
  private static final TypeReference<List<String>> LESSONS = new TypeReference<>() {};

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final String workspaceId;

  JdbcFeedbackStore(Jdbi jdbi, Dialect dialect, String workspaceId) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.workspaceId = workspaceId;
  }

  @Override
  public void add(Feedback f) {
    try {
      jdbi.useHandle(h -> h.createUpdate("INSERT INTO agent_learning_feedback (id, workspace_id, agent_id, run_id, outcome, score,"
              + " expected_output, reason, lessons, created_at) VALUES (:id, :w, :agent, :run, :outcome, :score, :expected, :reason, :lessons, :at)")
          .bind("id", f.id())
          .bind("w", workspaceId)
          .bind("agent", f.agentId())
          .bind("run", f.runId())
          .bind("outcome", f.outcome().wire())
          .bind("score", f.score())
          .bind("expected", dialect.text(f.expectedOutput()))
          .bind("reason", dialect.text(f.reason()))
          .bind("lessons", Json.write(f.lessons()))
          .bind("at", f.createdAt().truncatedTo(Sql.TIME_PRECISION))
          .execute());
    } catch (JdbiException e) {
      throw Sql.failed("store feedback on agent '" + f.agentId() + "'", e);
    }
    Sql.call("store feedback", () -> {
      dialect.writeThrough(jdbi);
      return null;
    });
  }

  @Override
  public List<Feedback> list(String agentId, int limit) {
    return Sql.call("list the feedback on agent '" + agentId + "'", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT id, agent_id, run_id, outcome, score, expected_output, reason, lessons, created_at FROM agent_learning_feedback"
                + " WHERE workspace_id = :w AND agent_id = :agent ORDER BY workspace_id, agent_id, created_at DESC, id DESC LIMIT :limit")
            .bind("w", workspaceId)
            .bind("agent", agentId)
            .bind("limit", limit)
            .map((rs, ctx) -> {
              double value = rs.getDouble("score");
              Double score = rs.wasNull() ? null : value;
              String lessons = rs.getString("lessons");
              return new Feedback(rs.getString("id"), rs.getString("agent_id"), rs.getString("run_id"), FeedbackOutcome.parse(rs.getString("outcome")),
                  score, rs.getString("expected_output"), rs.getString("reason"),
                  lessons == null ? List.of() : Json.MAPPER.convertValue(Json.tree(lessons), LESSONS), Sql.instant(rs, "created_at"));
            })
            .list()));
  }
}
