package dev.maestro.store.jdbc;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.tool.HttpToolDefinition;
import dev.maestro.engine.tool.HttpToolStore;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/** The HTTP tools registered in one workspace, one row each in {@code http_tools}. */
final class JdbcHttpToolStore implements HttpToolStore {
  private final Jdbi jdbi;
  private final Dialect dialect;
  private final String workspaceId;

  JdbcHttpToolStore(Jdbi jdbi, Dialect dialect, String workspaceId) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.workspaceId = workspaceId;
  }

  @Override
  public void add(HttpToolDefinition tool) {
    try {
      jdbi.useHandle(h -> h.createUpdate("INSERT INTO http_tools (workspace_id, name, definition, created_at)"
              + " VALUES (:workspace_id, :name, :definition, :created_at)")
          .bind("workspace_id", workspaceId)
          .bind("name", tool.name())
          .bind("definition", Json.write(tool))
          .bind("created_at", Instant.now().truncatedTo(Sql.TIME_PRECISION))
          .execute());
    } catch (JdbiException e) {
      if (Sql.isDuplicateKey(e)) {
        throw new ConflictException("a tool named '" + tool.name() + "' is already registered");
      }
      throw Sql.failed("register tool '" + tool.name() + "'", e);
    }
    Sql.call("register tool '" + tool.name() + "'", () -> {
      dialect.writeThrough(jdbi);
      return null;
    });
  }

  @Override
  public List<HttpToolDefinition> list() {
    return Sql.call("list registered tools", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT definition FROM http_tools WHERE workspace_id = :workspace_id ORDER BY name")
            .bind("workspace_id", workspaceId)
            .map((rs, ctx) -> Json.read(rs.getString("definition"), HttpToolDefinition.class))
            .list()));
  }
}
