package dev.maestro.engine.memory;

import dev.maestro.engine.InvalidInputException;

/**
 * How runs use memory.
 *
 * @param recallLimit at most this many memories are put into a run's context (0 turns recall off)
 * @param tokenBudget at most about this many tokens of memories (counted as characters / 4)
 * @param episodic whether each finished run is remembered (an episodic memory of its outcome)
 */
public record MemorySettings(int recallLimit, int tokenBudget, boolean episodic) {
  public static final MemorySettings DEFAULT = new MemorySettings(5, 500, true);

  public MemorySettings {
    if (recallLimit < 0 || recallLimit > 100) {
      throw new InvalidInputException("memory recall_limit " + recallLimit + " is out of range; give 0 to 100");
    }
    if (tokenBudget < 0) {
      throw new InvalidInputException("memory token_budget " + tokenBudget + " is negative; give 0 or more");
    }
  }
}
