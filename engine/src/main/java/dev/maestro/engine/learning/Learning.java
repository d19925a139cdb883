package dev.maestro.engine.learning;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.memory.Memories;
import dev.maestro.engine.memory.Memory;
import dev.maestro.engine.memory.MemoryType;
import dev.maestro.engine.memory.NewMemory;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunStore;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Learning from feedback: stores feedback on runs, turns its lessons into procedural memories
 * (which later runs of the agent recall into their context) and summarises an agent's feedback.
 */
public final class Learning {
  /** Insights look at this many of the latest pieces of feedback. */
  public static final int INSIGHT_WINDOW = 1_000;
  static final int MAX_LESSONS = 20;
  // A lesson from a failure or correction is what the agent most needs next time.
  static final double CORRECTIVE_LESSON_IMPORTANCE = 0.9;
  static final double LESSON_IMPORTANCE = 0.7;

  private final FeedbackStore feedback;
  private final Memories memories;
  private final RunStore runs;
  private final Clock clock;
  private final Supplier<String> ids;

  public Learning(FeedbackStore feedback, Memories memories, RunStore runs, Clock clock) {
    this(feedback, memories, runs, clock, () -> "fb_" + UUID.randomUUID().toString().replace("-", ""));
  }

  public Learning(FeedbackStore feedback, Memories memories, RunStore runs, Clock clock, Supplier<String> ids) {
    this.feedback = Objects.requireNonNull(feedback);
    this.memories = Objects.requireNonNull(memories);
    this.runs = Objects.requireNonNull(runs);
    this.clock = Objects.requireNonNull(clock);
    this.ids = Objects.requireNonNull(ids);
  }

  /**
   * Feedback as given: on a run (whose agent it is then about) or on an agent directly.
   *
   * @param runId the run the feedback is about, or null
   * @param agentId the agent, or null when the run says it
   */
  public record Input(String runId, String agentId, FeedbackOutcome outcome, Double score, String expectedOutput, String reason,
      List<String> lessons) {}

  /**
   * Stores feedback and remembers its lessons.
   *
   * @throws InvalidInputException if neither a run nor an agent is named, the score is outside 0-1, or a lesson is empty
   * @throws NotFoundException if the run does not exist
   */
  public Feedback record(Input in) {
    if (in.outcome() == null) {
      throw new InvalidInputException("feedback needs an 'outcome': success, failure or correction");
    }
    if (in.score() != null && (in.score().isNaN() || in.score() < 0 || in.score() > 1)) {
      throw new InvalidInputException("score " + in.score() + " is out of range; give a number from 0 (bad) to 1 (perfect)");
    }
    String agentId = in.agentId();
    if (in.runId() != null) {
      Run run = runs.find(in.runId()).orElseThrow(() -> new NotFoundException("no run '" + in.runId() + "'; give the id of a run of this workspace"));
      if (agentId != null && !agentId.equals(run.agentId())) {
        throw new InvalidInputException("run " + in.runId() + " is a run of agent '" + run.agentId() + "', not '" + agentId + "'; leave agent_id out");
      }
      agentId = run.agentId();
    }
    if (agentId == null || agentId.isBlank()) {
      throw new InvalidInputException("say which run the feedback is about ('run_id'), or which agent ('agent_id')");
    }
    List<String> lessons = in.lessons() == null ? List.of() : in.lessons();
    if (lessons.size() > MAX_LESSONS) {
      throw new InvalidInputException(lessons.size() + " lessons in one feedback; give at most " + MAX_LESSONS);
    }
    var clean = new ArrayList<String>();
    for (String lesson : lessons) {
      if (lesson == null || lesson.isBlank()) {
        throw new InvalidInputException("a lesson is empty; write each lesson as one sentence");
      }
      clean.add(lesson.strip());
    }
    String id = ids.get();
    var row = new Feedback(id, agentId, in.runId(), in.outcome(), in.score(), blankToNull(in.expectedOutput()), blankToNull(in.reason()), clean,
        clock.instant());
    double importance = in.outcome() == FeedbackOutcome.SUCCESS ? LESSON_IMPORTANCE : CORRECTIVE_LESSON_IMPORTANCE;
    var memoryRequests = new ArrayList<NewMemory>();
    for (String lesson : clean) {
      memoryRequests.add(new NewMemory(agentId, MemoryType.PROCEDURAL, lesson, importance, in.runId(),
          Map.of("source", "feedback", "feedback_id", id, "outcome", in.outcome().wire())));
    }
    feedback.add(row);
    memoryRequests.forEach(memories::remember);
    return row;
  }

  /** What the agent's latest feedback says: success rate, score trend, frequent failure reasons, lessons in force. */
  public Insights insights(String agentId) {
    List<Feedback> rows = feedback.list(agentId, INSIGHT_WINDOW);
    int successes = 0;
    double scoreSum = 0;
    int scored = 0;
    var byDay = new TreeMap<LocalDate, double[]>();
    var reasons = new HashMap<String, Integer>();
    var reasonText = new HashMap<String, String>();
    for (Feedback f : rows) {
      if (f.outcome() == FeedbackOutcome.SUCCESS) {
        successes++;
      } else if (f.reason() != null) {
        String key = f.reason().strip().toLowerCase(Locale.ROOT);
        reasons.merge(key, 1, Integer::sum);
        reasonText.putIfAbsent(key, f.reason().strip());
      }
      if (f.score() != null) {
        scoreSum += f.score();
        scored++;
        double[] day = byDay.computeIfAbsent(LocalDate.ofInstant(f.createdAt(), ZoneOffset.UTC), d -> new double[2]);
        day[0] += f.score();
        day[1]++;
      }
    }
    var trend = new ArrayList<Insights.DailyScore>();
    byDay.forEach((day, s) -> trend.add(new Insights.DailyScore(day, s[0] / s[1], (int) s[1])));
    var failureReasons = reasons.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(e -> new Insights.Reason(reasonText.get(e.getKey()), e.getValue()))
        .toList();
    var lessons = new LinkedHashMap<String, Insights.Lesson>();
    for (Memory m : memories.list(agentId, MemoryType.PROCEDURAL, INSIGHT_WINDOW, 0)) {
      if ("feedback".equals(m.metadata().get("source"))) {
        lessons.putIfAbsent(m.content(), new Insights.Lesson(m.id(), m.content(), m.runId(), m.createdAt()));
      }
    }
    return new Insights(agentId, rows.size(), rows.isEmpty() ? null : (double) successes / rows.size(), scored == 0 ? null : scoreSum / scored,
        trend, slope(trend), failureReasons, List.copyOf(lessons.values()));
  }

  /** Least-squares slope of the daily mean scores against the day number. */
  static Double slope(List<Insights.DailyScore> trend) {
    if (trend.size() < 2) {
      return null;
    }
    long first = trend.getFirst().day().toEpochDay();
    double n = trend.size();
    double sx = 0;
    double sy = 0;
    double sxy = 0;
    double sxx = 0;
    for (Insights.DailyScore d : trend) {
      double x = d.day().toEpochDay() - first;
      sx += x;
      sy += d.averageScore();
      sxy += x * d.averageScore();
      sxx += x * x;
    }
    double denominator = n * sxx - sx * sx;
    return denominator == 0 ? null : (n * sxy - sx * sy) / denominator;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
