package dev.maestro.store.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.maestro.engine.ConflictException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.memory.Memory;
import dev.maestro.engine.memory.MemoryStore;
import dev.maestro.engine.memory.MemoryType;
import dev.maestro.engine.memory.MemoryVector;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/** One workspace's agent memories, one row each in {@code agent_memory}, with their vectors. */
final class JdbcMemoryStore implements MemoryStore {
  private static final String COLUMNS = "id, agent_id, run_id, memory_type, content, importance, embedding_model, metadata, access_count,"
      + " created_at, last_accessed";
  private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {};
  /** Ids per IN list: well under the bind-parameter limits of both databases. */
  private static final int CHUNK = 500;

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final String workspaceId;

  JdbcMemoryStore(Jdbi jdbi, Dialect dialect, String workspaceId) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.workspaceId = workspaceId;
  }

  @Override
  public void add(Memory m, MemoryVector vector) {
    try {
      jdbi.useHandle(h -> h.createUpdate("INSERT INTO agent_memory (" + COLUMNS + ", workspace_id, embedding) VALUES (:id, :agent_id, :run_id,"
              + " :memory_type, :content, :importance, :embedding_model, :metadata, :access_count, :created_at, :last_accessed, :workspace_id, :embedding)")
          .bind("id", m.id())
          .bind("agent_id", m.agentId())
          .bind("run_id", m.runId())
          .bind("memory_type", m.type().wire())
          .bind("content", dialect.text(m.content()))
          .bind("importance", m.importance())
          .bind("embedding_model", vector == null ? m.embeddingModel() : vector.model())
          .bind("metadata", Json.write(m.metadata()))
          .bind("access_count", m.accessCount())
          .bind("created_at", m.createdAt().truncatedTo(Sql.TIME_PRECISION))
          .bind("last_accessed", m.lastAccessed().truncatedTo(Sql.TIME_PRECISION))
          .bind("workspace_id", workspaceId)
          .bind("embedding", vector == null ? null : vector.encoded())
          .execute());
    } catch (JdbiException e) {
      if (Sql.isDuplicateKey(e)) {
        throw new ConflictException("a memory with id '" + m.id() + "' already exists");
      }
      throw Sql.failed("store a memory of agent '" + m.agentId() + "'", e);
    }
    writeThrough("store a memory");
  }

  @Override
  public Optional<Memory> find(String id) {
    return Sql.call("read memory '" + id + "'", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT " + COLUMNS + " FROM agent_memory WHERE workspace_id = :w AND id = :id")
            .bind("w", workspaceId)
            .bind("id", id)
            .map((rs, ctx) -> memory(rs))
            .findOne()));
  }

  @Override
  public List<Memory> get(Collection<String> ids) {
    var found = new java.util.ArrayList<Memory>();
    for (List<String> chunk : chunks(ids)) {
      found.addAll(Sql.call("read memories", () -> jdbi.withHandle(h ->
          h.createQuery("SELECT " + COLUMNS + " FROM agent_memory WHERE workspace_id = :w AND id IN (<ids>)")
              .bind("w", workspaceId)
              .bindList("ids", chunk)
              .map((rs, ctx) -> memory(rs))
              .list())));
    }
    return found;
  }

  @Override
  public List<Memory> list(String agentId, MemoryType type, int limit, int offset) {
    String byType = type == null ? "" : " AND memory_type = :type";
    return Sql.call("list the memories of agent '" + agentId + "'", () -> jdbi.withHandle(h -> {
      var q = h.createQuery("SELECT " + COLUMNS + " FROM agent_memory WHERE workspace_id = :w AND agent_id = :agent" + byType
              + " ORDER BY workspace_id, agent_id, created_at DESC, id DESC LIMIT :limit OFFSET :offset")
          .bind("w", workspaceId)
          .bind("agent", agentId)
          .bind("limit", limit)
          .bind("offset", offset);
      if (type != null) {
        q.bind("type", type.wire());
      }
      return q.map((rs, ctx) -> memory(rs)).list();
    }));
  }

  @Override
  public Set<String> ids() {
    return Sql.call("list memory ids", () -> jdbi.withHandle(h ->
        new HashSet<>(h.createQuery("SELECT id FROM agent_memory WHERE workspace_id = :w").bind("w", workspaceId).mapTo(String.class).list())));
  }

  @Override
  public Set<String> idsCreatedSince(Instant from) {
    return Sql.call("list recent memory ids", () -> jdbi.withHandle(h ->
        new HashSet<>(h.createQuery("SELECT id FROM agent_memory WHERE workspace_id = :w AND created_at >= :from")
            .bind("w", workspaceId)
            .bind("from", from.truncatedTo(Sql.TIME_PRECISION))
            .mapTo(String.class)
            .list())));
  }

  @Override
  public Map<String, MemoryVector> vectors(Collection<String> ids) {
    var vectors = new HashMap<String, MemoryVector>();
    for (List<String> chunk : chunks(ids)) {
      Sql.call("read memory vectors", () -> jdbi.withHandle(h ->
          h.createQuery("SELECT id, embedding_model, embedding FROM agent_memory WHERE workspace_id = :w AND id IN (<ids>) AND embedding IS NOT NULL")
              .bind("w", workspaceId)
              .bindList("ids", chunk)
              .map((rs, ctx) -> vectors.put(rs.getString("id"), MemoryVector.decode(rs.getString("embedding_model"), rs.getString("embedding"))))
              .list()));
    }
    return vectors;
  }

  @Override
  public void setVector(String id, MemoryVector vector) {
    Sql.call("store the vector of memory '" + id + "'", () -> jdbi.withHandle(h ->
        h.createUpdate("UPDATE agent_memory SET embedding = :embedding, embedding_model = :model WHERE workspace_id = :w AND id = :id")
            .bind("embedding", vector.encoded())
            .bind("model", vector.model())
            .bind("w", workspaceId)
            .bind("id", id)
            .execute()));
  }

  @Override
  public void touch(Collection<String> ids, Instant at) {
    for (List<String> chunk : chunks(ids)) {
      // Bookkeeping of recency, written on every recall: not worth waiting for the disk (PostgreSQL flushes it within a moment).
      Sql.call("mark memories recalled", () -> jdbi.inTransaction(h -> {
        if (dialect.defersDurability()) {
          dialect.deferDurability(h);
        }
        return h.createUpdate("UPDATE agent_memory SET last_accessed = :at, access_count = access_count + 1 WHERE workspace_id = :w AND id IN (<ids>)")
            .bind("at", at.truncatedTo(Sql.TIME_PRECISION))
            .bind("w", workspaceId)
            .bindList("ids", chunk)
            .execute();
      }));
    }
  }

  @Override
  public boolean delete(String id) {
    int deleted = Sql.call("delete memory '" + id + "'", () -> jdbi.withHandle(h ->
        h.createUpdate("DELETE FROM agent_memory WHERE workspace_id = :w AND id = :id").bind("w", workspaceId).bind("id", id).execute()));
    writeThrough("delete a memory");
    return deleted > 0;
  }

  private void writeThrough(String what) {
    Sql.call(what, () -> {
      dialect.writeThrough(jdbi);
      return null;
    });
  }

  private static List<List<String>> chunks(Collection<String> ids) {
    List<String> all = List.copyOf(new java.util.LinkedHashSet<>(ids));
    var chunks = new java.util.ArrayList<List<String>>();
    for (int i = 0; i < all.size(); i += CHUNK) {
      chunks.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
    }
    return chunks;
  }

  private static Memory memory(ResultSet rs) throws SQLException {
    String metadata = rs.getString("metadata");
    return new Memory(rs.getString("id"), rs.getString("agent_id"), MemoryType.parse(rs.getString("memory_type")), rs.getString("content"),
        rs.getDouble("importance"), rs.getString("run_id"), metadata == null ? Map.of() : Json.MAPPER.convertValue(Json.tree(metadata), METADATA),
        Sql.instant(rs, "created_at"), Sql.instant(rs, "last_accessed"), rs.getInt("access_count"), rs.getString("embedding_model"));
  }
}
