package dev.maestro.engine.memory;

import java.time.Instant;
import java.util.Map;

/**
 * One thing an agent remembers.
 *
 * @param importance 0 (trivial) to 1 (crucial); one of the three ranking signals
 * @param runId the run it came from, or null
 * @param lastAccessed when it was last recalled (its creation time until then); recency is measured from it
 * @param accessCount how many times it was recalled
 * @param embeddingModel the model its stored vector was computed with, or null if it has none
 */
public record Memory(
    String id,
    String agentId,
    MemoryType type,
    String content,
    double importance,
    String runId,
    Map<String, String> metadata,
    Instant createdAt,
    Instant lastAccessed,
    int accessCount,
    String embeddingModel) {

  public Memory {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    lastAccessed = lastAccessed == null ? createdAt : lastAccessed;
  }
}
