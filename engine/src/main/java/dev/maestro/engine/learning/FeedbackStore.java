package dev.maestro.engine.learning;

import java.util.List;

/** Where one workspace's feedback on runs is kept ({@code agent_learning_feedback}). */
public interface FeedbackStore {

  void add(Feedback feedback);

  /** An agent's feedback, newest first. */
  List<Feedback> list(String agentId, int limit);
}
