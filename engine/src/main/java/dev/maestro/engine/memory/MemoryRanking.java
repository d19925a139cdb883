package dev.maestro.engine.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders recall candidates by relevance, importance and recency together (Park et al., 2023).
 * Relevance (cosine similarity, negative counted as 0) is scaled so that the best candidate has 1.
 * The paper min-max normalises it instead, which stretches a negligible difference between two
 * near-identical memories to the whole range and so drowns recency and importance; scaling by the
 * maximum keeps such ties ties. Importance and recency are already in [0, 1].
 */
public final class MemoryRanking {
  private MemoryRanking() {}

  /** A memory and its relevance to the query: cosine similarity, or any score of 0 or more. */
  public record Candidate(Memory memory, double relevance) {}

  public static List<Recalled> rank(List<Candidate> candidates, Instant now, RankingWeights w, int limit) {
    double max = 0;
    for (Candidate c : candidates) {
      max = Math.max(max, c.relevance());
    }
    var ranked = new ArrayList<Recalled>(candidates.size());
    for (Candidate c : candidates) {
      double relevance = max > 0 ? Math.max(0, c.relevance()) / max : 0;
      double recency = recency(c.memory(), now, w.decayPerHour());
      double score = w.relevance() * relevance + w.importance() * c.memory().importance() + w.recency() * recency;
      ranked.add(new Recalled(c.memory(), score, relevance, recency));
    }
    ranked.sort(Comparator.comparingDouble(Recalled::score).reversed().thenComparing(r -> r.memory().id()));
    return List.copyOf(ranked.subList(0, Math.min(limit, ranked.size())));
  }

  static double recency(Memory m, Instant now, double decayPerHour) {
    double hours = Math.max(0, Duration.between(m.lastAccessed(), now).toMillis() / 3_600_000.0);
    return Math.pow(decayPerHour, hours);
  }
}
