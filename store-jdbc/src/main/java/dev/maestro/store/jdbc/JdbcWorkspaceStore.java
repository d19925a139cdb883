package dev.maestro.store.jdbc;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.auth.Workspace;
import dev.maestro.engine.auth.WorkspaceStore;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;

/** Workspaces, one row each in {@code workspaces} (the table other stores fill on first use). */
final class JdbcWorkspaceStore implements WorkspaceStore {
  private static final RowMapper<Workspace> WORKSPACE = (rs, ctx) ->
      new Workspace(rs.getString("id"), rs.getString("name"), Sql.instant(rs, "created_at"));

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Clock clock;
  private final Set<String> knownWorkspaces;

  JdbcWorkspaceStore(Jdbi jdbi, Dialect dialect, Clock clock, Set<String> knownWorkspaces) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.clock = clock;
    this.knownWorkspaces = knownWorkspaces;
  }

  @Override
  public Workspace create(String id, String name) {
    var workspace = new Workspace(id, name, clock.instant().truncatedTo(ChronoUnit.MICROS));
    try {
      jdbi.useHandle(h -> h.createUpdate("INSERT INTO workspaces (id, name, created_at) VALUES (:id, :name, :created_at)")
          .bind("id", workspace.id())
          .bind("name", workspace.name())
          .bind("created_at", workspace.createdAt())
          .execute());
    } catch (JdbiException e) {
      if (Sql.isDuplicateKey(e)) {
        throw new ConflictException("a workspace with id '" + id + "' already exists; choose another id");
      }
      throw Sql.failed("create workspace '" + id + "'", e);
    }
    knownWorkspaces.add(id);
    Sql.call("create workspace '" + id + "'", () -> {
      dialect.writeThrough(jdbi);
      return null;
    });
    return workspace;
  }

  @Override
  public Optional<Workspace> find(String id) {
    return Sql.call("read workspace '" + id + "'", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT id, name, created_at FROM workspaces WHERE id = :id")
            .bind("id", id)
            .map(WORKSPACE)
            .findOne()));
  }

  @Override
  public List<Workspace> list() {
    return Sql.call("list workspaces", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT id, name, created_at FROM workspaces ORDER BY id").map(WORKSPACE).list()));
  }
}
