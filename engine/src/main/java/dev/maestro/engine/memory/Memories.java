package dev.maestro.engine.memory;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import java.util.List;

/**
 * An agent memory service for one workspace: remember, recall by relevance, importance and
 * recency, list and forget. The reasoning loop, the {@code remember} and {@code recall} tools and
 * the API use it; implementations combine a {@link MemoryStore} with an embedding model and index.
 */
public interface Memories {

  /**
   * Stores a memory.
   *
   * @throws InvalidInputException if it is not valid (see {@link NewMemory})
   */
  Memory remember(NewMemory memory);

  /**
   * The agent's memories that best answer the query, best first; each returned memory is marked
   * accessed.
   */
  List<Recalled> recall(Recall query);

  /** An agent's memories, newest first; all types when {@code type} is null. */
  List<Memory> list(String agentId, MemoryType type, int limit, int offset);

  /** @throws NotFoundException if there is no such memory */
  Memory get(String id);

  /** @throws NotFoundException if there is no such memory */
  void delete(String id);

  /** The embedding model new memories are embedded with, e.g. {@code hash-ngram-384}. */
  String embeddingModel();
}
