package dev.maestro.engine.memory;

import dev.maestro.engine.InvalidInputException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What to remember, validated: an agent id, non-empty content of at most {@link #MAX_CHARS}
 * characters, an importance between 0 and 1 (0.5 when not given).
 */
public record NewMemory(String agentId, MemoryType type, String content, double importance, String runId, Map<String, String> metadata) {
  /** Longer texts belong in a knowledge collection, not in the context of every run. */
  public static final int MAX_CHARS = 8_000;

  private static final Pattern AGENT_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  public NewMemory {
    if (agentId == null || !AGENT_ID.matcher(agentId).matches()) {
      throw new InvalidInputException("agent id '" + agentId + "' is not valid; use the id of an agent (lower-case letters, digits, '-', '_')");
    }
    if (type == null) {
      throw new InvalidInputException("the memory needs a type: episodic, semantic or procedural");
    }
    if (content == null || content.isBlank()) {
      throw new InvalidInputException("the memory's content is empty; say what the agent should remember");
    }
    content = content.strip();
    if (content.length() > MAX_CHARS) {
      throw new InvalidInputException("the memory is " + content.length() + " characters; keep it under " + MAX_CHARS
          + " (put long documents in a knowledge collection instead)");
    }
    if (Double.isNaN(importance) || importance < 0 || importance > 1) {
      throw new InvalidInputException("importance " + importance + " is out of range; give a number from 0 (trivial) to 1 (crucial)");
    }
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A memory of default importance (0.5) and no run. */
  public static NewMemory of(String agentId, MemoryType type, String content) {
    return new NewMemory(agentId, type, content, 0.5, null, null);
  }
}
