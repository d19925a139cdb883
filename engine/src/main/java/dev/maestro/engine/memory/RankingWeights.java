package dev.maestro.engine.memory;

import dev.maestro.engine.InvalidInputException;

/**
 * How recall weighs its three signals, as in Park et al., "Generative Agents" (2023): score =
 * relevance·w_rel + importance·w_imp + recency·w_rec, with recency = decayPerHour ^ hours since
 * the memory was last accessed.
 *
 * @param decayPerHour the recency factor per hour since last access, in (0, 1]
 */
public record RankingWeights(double relevance, double importance, double recency, double decayPerHour) {
  // Park et al. weigh the three equally and decay recency by 0.995 per (game) hour.
  public static final RankingWeights DEFAULT = new RankingWeights(1, 1, 1, 0.995);

  public RankingWeights {
    check("relevance", relevance);
    check("importance", importance);
    check("recency", recency);
    if (relevance + importance + recency == 0) {
      throw new InvalidInputException("memory ranking weights are all 0; give at least one a positive weight");
    }
    if (!(decayPerHour > 0 && decayPerHour <= 1)) {
      throw new InvalidInputException("memory recency decay per hour is " + decayPerHour + "; give a number in (0, 1], e.g. 0.995");
    }
  }

  private static void check(String name, double w) {
    if (Double.isNaN(w) || w < 0) {
      throw new InvalidInputException("memory ranking weight '" + name + "' is " + w + "; give a number of 0 or more");
    }
  }
}
