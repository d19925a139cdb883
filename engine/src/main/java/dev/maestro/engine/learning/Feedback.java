package dev.maestro.engine.learning;

import java.time.Instant;
import java.util.List;

/**
 * Feedback on a run (a row of {@code agent_learning_feedback}).
 *
 * @param score how good the run's result was, 0 to 1, or null
 * @param expectedOutput what the run should have produced, or null
 * @param reason why it failed or needed correcting, in a few words (grouped in insights), or null
 * @param lessons lessons learned; each becomes a procedural memory of the agent
 */
public record Feedback(String id, String agentId, String runId, FeedbackOutcome outcome, Double score, String expectedOutput, String reason,
    List<String> lessons, Instant createdAt) {
  public Feedback {
    lessons = lessons == null ? List.of() : List.copyOf(lessons);
  }
}
