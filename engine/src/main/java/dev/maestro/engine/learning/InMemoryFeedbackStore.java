package dev.maestro.engine.learning;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Feedback kept in memory: for tests and embedding without a database. */
public final class InMemoryFeedbackStore implements FeedbackStore {
  private final List<Feedback> rows = new CopyOnWriteArrayList<>();

  @Override
  public void add(Feedback feedback) {
    rows.add(feedback);
  }

  @Override
  public List<Feedback> list(String agentId, int limit) {
    return rows.stream()
        .filter(f -> f.agentId().equals(agentId))
        .sorted(Comparator.comparing(Feedback::createdAt).thenComparing(Feedback::id).reversed())
        .limit(limit)
        .toList();
  }
}
