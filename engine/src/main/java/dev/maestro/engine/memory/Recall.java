package dev.maestro.engine.memory;

import dev.maestro.engine.InvalidInputException;
import java.util.Set;

/**
 * A question to an agent's memory.
 *
 * @param types the kinds of memory to consider; empty for all
 * @param limit at most this many memories (1 to 100)
 */
public record Recall(String agentId, String query, Set<MemoryType> types, int limit) {
  public Recall {
    if (query == null || query.isBlank()) {
      throw new InvalidInputException("the recall query is empty; say what to look for in the agent's memory");
    }
    if (agentId == null || agentId.isBlank()) {
      throw new InvalidInputException("say whose memory to search: an agent id is required");
    }
    if (limit < 1 || limit > 100) {
      throw new InvalidInputException("limit " + limit + " is out of range; ask for 1 to 100 memories");
    }
    types = types == null ? Set.of() : Set.copyOf(types);
  }
}
