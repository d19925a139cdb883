package dev.maestro.engine.agent;

import dev.maestro.engine.memory.MemorySettings;

/**
 * How one agent's runs use memory, where it differs from the platform's {@code memory} settings:
 * a field left out takes the platform's value. For example an agent whose runs must not be
 * influenced by earlier ones sets {@code recall_limit: 0}, and a chatty one {@code episodic: false}.
 *
 * @param recallLimit at most this many memories in a run's context (0 turns recall off for the agent)
 * @param tokenBudget at most about this many tokens of them
 * @param episodic whether each finished run of the agent is remembered
 */
public record AgentMemory(Integer recallLimit, Integer tokenBudget, Boolean episodic) {

  public AgentMemory {
    if (recallLimit != null) {
      MemorySettings.checkRecallLimit(recallLimit);
    }
    if (tokenBudget != null) {
      MemorySettings.checkTokenBudget(tokenBudget);
    }
  }

  /** The platform's settings with this agent's fields in their place. */
  public MemorySettings over(MemorySettings platform) {
    return new MemorySettings(recallLimit == null ? platform.recallLimit() : recallLimit,
        tokenBudget == null ? platform.tokenBudget() : tokenBudget, episodic == null ? platform.episodic() : episodic);
  }
}
