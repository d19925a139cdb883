package dev.maestro.engine.memory;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.agent.AgentSpec;

/**
 * How runs use memory: the platform's settings, which an agent may change for its own runs
 * ({@link dev.maestro.engine.agent.AgentMemory}).
 *
 * @param recallLimit at most this many memories are put into a run's context (0 turns recall off)
 * @param tokenBudget at most about this many tokens of memories (counted as characters / 4)
 * @param episodic whether each finished run is remembered (an episodic memory of its outcome)
 */
public record MemorySettings(int recallLimit, int tokenBudget, boolean episodic) {
  public static final MemorySettings DEFAULT = new MemorySettings(5, 500, true);

  public MemorySettings {
    checkRecallLimit(recallLimit);
    checkTokenBudget(tokenBudget);
  }

  /** These settings as the agent's own {@code memory} fields change them. */
  public MemorySettings of(AgentSpec agent) {
    return agent == null || agent.memory() == null ? this : agent.memory().over(this);
  }

  public static void checkRecallLimit(int recallLimit) {
    if (recallLimit < 0 || recallLimit > 100) {
      throw new InvalidInputException("memory recall_limit " + recallLimit + " is out of range; give 0 to 100");
    }
  }

  public static void checkTokenBudget(int tokenBudget) {
    if (tokenBudget < 0) {
      throw new InvalidInputException("memory token_budget " + tokenBudget + " is negative; give 0 or more");
    }
  }
}
