package dev.maestro.store.jdbc;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.safety.Policy;
import dev.maestro.engine.safety.PolicyStore;
import dev.maestro.engine.safety.StoredPolicy;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The policies of one workspace: one row per version in {@code policies}, the latest flagged, and a
 * counter in {@code policy_revisions}. Every write first moves the counter, which locks the
 * workspace's row there, so writes to one workspace's policies run one at a time in every process.
 */
final class JdbcPolicyStore implements PolicyStore {
  private static final String COLUMNS = "id, version, deleted, policy, updated_at, updated_by";
  private static final RowMapper<StoredPolicy> POLICY = (rs, ctx) -> new StoredPolicy(
      Json.read(rs.getString("policy"), Policy.class),
      rs.getInt("version"),
      rs.getBoolean("deleted"),
      Sql.instant(rs, "updated_at"),
      rs.getString("updated_by"));

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Clock clock;
  private final String workspaceId;

  JdbcPolicyStore(Jdbi jdbi, Dialect dialect, Clock clock, String workspaceId) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.clock = clock;
    this.workspaceId = workspaceId;
  }

  /** Makes sure the workspace has its revision counter; called once per workspace and process. */
  static void prepare(Jdbi jdbi, String workspaceId) {
    Sql.insertIfAbsent(jdbi, "prepare the policies of workspace '" + workspaceId + "'",
        "INSERT INTO policy_revisions (workspace_id, revision) SELECT :workspace_id, 0"
            + " WHERE NOT EXISTS (SELECT 1 FROM policy_revisions WHERE workspace_id = :workspace_id)", workspaceId);
  }

  @Override
  public List<StoredPolicy> list() {
    return Sql.call("list policies", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT " + COLUMNS + " FROM policies WHERE workspace_id = :workspace_id AND latest = TRUE AND deleted = FALSE"
                + " ORDER BY workspace_id, latest, id")
            .bind("workspace_id", workspaceId)
            .map(POLICY)
            .list()));
  }

  @Override
  public Optional<StoredPolicy> find(String id) {
    return Sql.call("read policy '" + id + "'", () -> jdbi.withHandle(h -> latest(h, id)))
        .filter(p -> !p.deleted());
  }

  @Override
  public StoredPolicy create(Policy policy, String actor) {
    checkActor(actor);
    return write("create policy '" + policy.id() + "'", h -> {
      Optional<StoredPolicy> last = latest(h, policy.id());
      if (last.isPresent() && !last.get().deleted()) {
        throw new ConflictException("policy '" + policy.id() + "' already exists (version " + last.get().version()
            + "); update it with its version, or delete it first");
      }
      return insert(h, policy, last, false, actor);
    });
  }

  @Override
  public StoredPolicy update(Policy policy, int expectedVersion, String actor) {
    checkActor(actor);
    return write("update policy '" + policy.id() + "'", h -> insert(h, policy, Optional.of(current(h, policy.id(), expectedVersion)), false, actor));
  }

  @Override
  public StoredPolicy delete(String id, int expectedVersion, String actor) {
    checkActor(actor);
    return write("delete policy '" + id + "'", h -> {
      StoredPolicy current = current(h, id, expectedVersion);
      return insert(h, current.policy(), Optional.of(current), true, actor);
    });
  }

  @Override
  public List<StoredPolicy> history(String id) {
    return Sql.call("read the history of policy '" + id + "'", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT " + COLUMNS + " FROM policies WHERE workspace_id = :workspace_id AND id = :id ORDER BY version DESC")
            .bind("workspace_id", workspaceId)
            .bind("id", id)
            .map(POLICY)
            .list()));
  }

  @Override
  public long revision() {
    return Sql.call("read the policy revision", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT revision FROM policy_revisions WHERE workspace_id = :workspace_id")
            .bind("workspace_id", workspaceId)
            .mapTo(Long.class)
            .findOne()
            .orElse(0L)));
  }

  private interface Write {
    StoredPolicy apply(Handle h);
  }

  private StoredPolicy write(String what, Write write) {
    StoredPolicy written = Sql.call(what, () -> jdbi.inTransaction(h -> {
      h.createUpdate("UPDATE policy_revisions SET revision = revision + 1 WHERE workspace_id = :workspace_id")
          .bind("workspace_id", workspaceId)
          .execute();
      return write.apply(h);
    }));
    Sql.call(what, () -> {
      dialect.writeThrough(jdbi);
      return null;
    });
    return written;
  }

  private Optional<StoredPolicy> latest(Handle h, String id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM policies WHERE workspace_id = :workspace_id AND id = :id AND latest = TRUE")
        .bind("workspace_id", workspaceId)
        .bind("id", id)
        .map(POLICY)
        .findOne();
  }

  private StoredPolicy current(Handle h, String id, int expectedVersion) {
    StoredPolicy last = latest(h, id).orElseThrow(() -> new NotFoundException("no policy '" + id + "' in this workspace; list the policies to see their ids"));
    if (last.deleted()) {
      throw new NotFoundException("policy '" + id + "' was deleted (version " + last.version() + "); create it again to bring it back");
    }
    if (last.version() != expectedVersion) {
      throw new ConflictException("policy '" + id + "' is at version " + last.version() + ", not " + expectedVersion
          + "; someone changed it since you read it: read it again and reapply your change");
    }
    return last;
  }

  private StoredPolicy insert(Handle h, Policy policy, Optional<StoredPolicy> replaced, boolean deleted, String actor) {
    int version = replaced.map(p -> p.version() + 1).orElse(1);
    replaced.ifPresent(p -> h.createUpdate("UPDATE policies SET latest = FALSE WHERE workspace_id = :workspace_id AND id = :id AND version = :version")
        .bind("workspace_id", workspaceId)
        .bind("id", p.id())
        .bind("version", p.version())
        .execute());
    var stored = new StoredPolicy(policy, version, deleted, clock.instant().truncatedTo(Sql.TIME_PRECISION), actor);
    h.createUpdate("INSERT INTO policies (workspace_id, id, version, latest, deleted, policy, updated_at, updated_by)"
            + " VALUES (:workspace_id, :id, :version, TRUE, :deleted, :policy, :updated_at, :updated_by)")
        .bind("workspace_id", workspaceId)
        .bind("id", policy.id())
        .bind("version", version)
        .bind("deleted", deleted)
        .bind("policy", Json.write(policy))
        .bind("updated_at", stored.updatedAt())
        .bind("updated_by", actor)
        .execute();
    return stored;
  }

  private static void checkActor(String actor) {
    if (actor == null || actor.isBlank() || actor.length() > 200) {
      throw new InvalidInputException("policy author '" + actor + "' is not valid; name who writes the policy in 1-200 characters");
    }
  }
}
