package dev.maestro.engine.learning;

import java.time.LocalDate;
import java.util.List;

/**
 * What an agent's feedback says about it.
 *
 * @param feedback how many pieces of feedback were considered (the latest {@link Learning#INSIGHT_WINDOW})
 * @param successRate share of feedback with outcome success, or null without feedback
 * @param averageScore mean of the scores given, or null without scores
 * @param scoreTrend mean score per day, oldest first
 * @param scoreSlopePerDay least-squares slope of the daily means: positive when the agent improves; null with fewer than two days
 * @param failureReasons the reasons given for failures and corrections, most frequent first
 * @param lessons the lessons in force: the agent's procedural memories from feedback, newest first
 */
public record Insights(String agentId, int feedback, Double successRate, Double averageScore, List<DailyScore> scoreTrend,
    Double scoreSlopePerDay, List<Reason> failureReasons, List<Lesson> lessons) {

  public record DailyScore(LocalDate day, double averageScore, int count) {}

  public record Reason(String reason, int count) {}

  public record Lesson(String memoryId, String text, String runId, java.time.Instant learnedAt) {}
}
