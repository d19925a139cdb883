package dev.maestro.store.jdbc;

import dev.maestro.engine.agent.Agent;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.agent.AgentStatus;
import dev.maestro.engine.agent.AgentStore;
import dev.maestro.engine.internal.Json;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Agents of one workspace, one row each in {@code agents} with the spec as JSON. */
final class JdbcAgentStore implements AgentStore {
  private static final RowMapper<Agent> AGENT = (rs, ctx) -> new Agent(
      Json.read(rs.getString("spec"), AgentSpec.class),
      AgentStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
      Sql.instant(rs, "created_at"),
      Sql.instant(rs, "updated_at"));

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final String workspaceId;

  JdbcAgentStore(Jdbi jdbi, Dialect dialect, String workspaceId) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.workspaceId = workspaceId;
  }

  @Override
  public void save(Agent agent) {
    AgentSpec spec = agent.spec();
    Sql.call("save agent '" + agent.id() + "'", () -> jdbi.withHandle(h -> {
      h.createUpdate(dialect.upsertAgent())
          .bind("workspace_id", workspaceId)
          .bind("id", spec.id())
          .bind("name", dialect.text(spec.name()))
          .bind("kind", spec.kind().wire())
          .bind("model", dialect.text(spec.model()))
          .bind("status", agent.status().wire())
          .bind("spec", Json.write(spec))
          .bind("created_at", agent.createdAt())
          .bind("updated_at", agent.updatedAt())
          .execute();
      return null;
    }));
    Sql.call("save agent '" + agent.id() + "'", () -> {
      dialect.writeThrough(jdbi);
      return null;
    });
  }

  @Override
  public Optional<Agent> find(String id) {
    return Sql.call("read agent '" + id + "'", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT spec, status, created_at, updated_at FROM agents WHERE workspace_id = :workspace_id AND id = :id")
            .bind("workspace_id", workspaceId)
            .bind("id", id)
            .map(AGENT)
            .findOne()));
  }

  @Override
  public List<Agent> list() {
    return Sql.call("list agents", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT spec, status, created_at, updated_at FROM agents"
                + " WHERE workspace_id = :workspace_id AND status <> :deleted ORDER BY id")
            .bind("workspace_id", workspaceId)
            .bind("deleted", AgentStatus.DELETED.wire())
            .map(AGENT)
            .list()));
  }
}
