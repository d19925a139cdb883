package dev.maestro.engine.memory;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where one workspace's memories are kept (the {@code agent_memory} rows): the source of truth.
 * Search indexes over them are derived and can be rebuilt from here, vectors included.
 */
public interface MemoryStore {

  /** Stores a new memory with its vector (null if it has none yet); its embedding model is the vector's. */
  void add(Memory memory, MemoryVector vector);

  Optional<Memory> find(String id);

  /** The memories with these ids that exist, in no particular order. */
  List<Memory> get(Collection<String> ids);

  /** An agent's memories, newest first; all types when {@code type} is null. */
  List<Memory> list(String agentId, MemoryType type, int limit, int offset);

  /** The ids of every memory in the workspace, for keeping an index in step. */
  Set<String> ids();

  /**
   * The ids of the memories created at or after {@code from}: what keeping an index in step reads
   * between two full comparisons with {@link #ids()}, at a cost that does not grow with the workspace.
   */
  Set<String> idsCreatedSince(Instant from);

  /** The stored vectors of these memories (those without one are absent). */
  Map<String, MemoryVector> vectors(Collection<String> ids);

  /** Replaces a memory's vector, after the embedding model changed. */
  void setVector(String id, MemoryVector vector);

  /** Marks memories as recalled now: {@code last_accessed = at}, one more access each. */
  void touch(Collection<String> ids, Instant at);

  /** Deletes a memory; false if there was none. */
  boolean delete(String id);
}
