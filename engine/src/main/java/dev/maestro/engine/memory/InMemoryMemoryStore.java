package dev.maestro.engine.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/** Memories kept in memory: for tests and embedding without a database. */
public final class InMemoryMemoryStore implements MemoryStore {
  private final Map<String, Memory> memories = new ConcurrentHashMap<>();
  private final Map<String, MemoryVector> vectors = new ConcurrentHashMap<>();
  /** The memories by creation time, as a database's index on created_at keeps them. */
  private final NavigableSet<Created> byTime = new ConcurrentSkipListSet<>();

  private record Created(Instant at, String id) implements Comparable<Created> {
    @Override
    public int compareTo(Created o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : id.compareTo(o.id);
    }
  }

  @Override
  public void add(Memory given, MemoryVector vector) {
    Memory memory = vector == null ? given : new Memory(given.id(), given.agentId(), given.type(), given.content(), given.importance(),
        given.runId(), given.metadata(), given.createdAt(), given.lastAccessed(), given.accessCount(), vector.model());
    if (memories.putIfAbsent(memory.id(), memory) != null) {
      throw new dev.maestro.engine.ConflictException("a memory with id '" + memory.id() + "' already exists");
    }
    if (vector != null) {
      vectors.put(memory.id(), vector);
    }
    byTime.add(new Created(memory.createdAt(), memory.id()));
  }

  @Override
  public Optional<Memory> find(String id) {
    return Optional.ofNullable(memories.get(id));
  }

  @Override
  public List<Memory> get(Collection<String> ids) {
    return ids.stream().distinct().map(memories::get).filter(m -> m != null).toList();
  }

  @Override
  public List<Memory> list(String agentId, MemoryType type, int limit, int offset) {
    return memories.values().stream()
        .filter(m -> m.agentId().equals(agentId) && (type == null || m.type() == type))
        .sorted(Comparator.comparing(Memory::createdAt).thenComparing(Memory::id).reversed())
        .skip(offset)
        .limit(limit)
        .toList();
  }

  @Override
  public Set<String> ids() {
    return Set.copyOf(memories.keySet());
  }

  @Override
  public Set<String> idsCreatedSince(Instant from) {
    var ids = new HashSet<String>();
    byTime.tailSet(new Created(from, "")).forEach(c -> ids.add(c.id()));
    return ids;
  }

  @Override
  public Map<String, MemoryVector> vectors(Collection<String> ids) {
    var found = new HashMap<String, MemoryVector>();
    for (String id : ids) {
      MemoryVector v = vectors.get(id);
      if (v != null) {
        found.put(id, v);
      }
    }
    return found;
  }

  @Override
  public void setVector(String id, MemoryVector vector) {
    Memory m = memories.get(id);
    if (m != null) {
      vectors.put(id, vector);
      memories.put(id, new Memory(m.id(), m.agentId(), m.type(), m.content(), m.importance(), m.runId(), m.metadata(), m.createdAt(),
          m.lastAccessed(), m.accessCount(), vector.model()));
    }
  }

  @Override
  public void touch(Collection<String> ids, Instant at) {
    for (String id : new ArrayList<>(ids)) {
      memories.computeIfPresent(id, (k, m) -> new Memory(m.id(), m.agentId(), m.type(), m.content(), m.importance(), m.runId(),
          m.metadata(), m.createdAt(), at, m.accessCount() + 1, m.embeddingModel()));
    }
  }

  @Override
  public boolean delete(String id) {
    vectors.remove(id);
    Memory removed = memories.remove(id);
    if (removed != null) {
      byTime.remove(new Created(removed.createdAt(), id));
    }
    return removed != null;
  }
}
