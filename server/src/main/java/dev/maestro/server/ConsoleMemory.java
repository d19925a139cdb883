package dev.maestro.server;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.auth.Permission;
import dev.maestro.engine.learning.FeedbackOutcome;
import dev.maestro.engine.learning.Insights;
import dev.maestro.engine.learning.Learning;
import dev.maestro.engine.memory.Memory;
import dev.maestro.engine.memory.MemoryType;
import dev.maestro.engine.memory.Recall;
import dev.maestro.engine.memory.Recalled;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An agent's memory and learning on its console page: its memories by type, a page at a time, with
 * delete; a semantic search over them (the same recall runs use); the feedback form; and the
 * insights drawn from feedback (success rate, score trend, frequent failure reasons, lessons in force).
 */
final class ConsoleMemory {
  static final int PAGE = 20;
  static final int MAX_FOUND = 20;
  static final List<String> TYPES = Arrays.stream(MemoryType.values()).map(MemoryType::wire).toList();
  static final List<String> OUTCOMES = Arrays.stream(FeedbackOutcome.values()).map(FeedbackOutcome::wire).toList();
  private final Console console;

  ConsoleMemory(Console console) {
    this.console = console;
  }

  /**
   * What the agent page shows of memory and learning.
   *
   * @param type the memory type shown, or null for all
   */
  record Learned(List<Memory> memories, String type, int offset, Integer previous, Integer next, Insights insights) {
    String successRate() {
      return insights.successRate() == null ? "—" : String.format(Locale.ROOT, "%.0f%%", 100 * insights.successRate());
    }

    String averageScore() {
      return insights.averageScore() == null ? "—" : String.format(Locale.ROOT, "%.2f", insights.averageScore());
    }

    /** The daily mean scores as a small line, or empty with fewer than two days. */
    String trendChart() {
      if (insights.scoreTrend().size() < 2) {
        return "";
      }
      return Charts.sparkline("mean score per day", insights.scoreTrend().stream().mapToDouble(Insights.DailyScore::averageScore).toArray());
    }

    String slope() {
      Double s = insights.scoreSlopePerDay();
      if (s == null) {
        return "needs scores on two days";
      }
      return String.format(Locale.ROOT, "%+.3f per day", s) + (s > 0 ? " · improving" : s < 0 ? " · getting worse" : " · flat");
    }

    /** The link to another page or type of the memories, keeping the other parameter. */
    String link(String agentId, String toType, int toOffset) {
      var q = new StringBuilder("/maestro/agents/").append(agentId).append("?memory_offset=").append(toOffset);
      if (toType != null) {
        q.append("&memory_type=").append(toType);
      }
      return q.append("#memory").toString();
    }
  }

  /** The recall's answer for the search box. */
  record Found(String agentId, String query, List<Recalled> memories, boolean canOperate) {
    static String signal(double value) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
  }

  List<Route> routes() {
    return List.of(
        Console.action("/maestro/agents/{id}/memories/search", "Search an agent's memories by meaning (recall)", Permission.READ, this::search),
        Console.action("/maestro/agents/{id}/memories/{memory}/delete", "Delete a memory of the agent", Permission.OPERATE, this::delete),
        Console.action("/maestro/agents/{id}/feedback", "Feedback on the agent or one of its runs; lessons become procedural memories",
            Permission.OPERATE, this::feedback));
  }

  /** Memory and learning for the agent page, from the page's {@code memory_type} and {@code memory_offset} parameters. */
  static Learned learned(Context ctx, Services s, String agentId) {
    String typeText = ctx.queryParam("memory_type");
    MemoryType type = typeText == null || typeText.isBlank() ? null : MemoryType.parse(typeText);
    int offset = Params.integer(ctx, "memory_offset", 0, 0, 1_000_000);
    List<Memory> memories = s.memories().list(agentId, type, PAGE, offset);
    return new Learned(memories, type == null ? null : type.wire(), offset, offset == 0 ? null : Math.max(0, offset - PAGE),
        memories.size() == PAGE ? offset + PAGE : null, s.learning().insights(agentId));
  }

  private void search(Context ctx) {
    Services s = Auth.services(ctx);
    String agentId = s.agents().get(ctx.pathParam("id")).id();
    String query = ctx.formParam("query");
    if (query == null || query.isBlank()) {
      throw new InvalidInputException("type what to look for in the agent's memories");
    }
    String type = ctx.formParam("type");
    Set<MemoryType> types = type == null || type.isBlank() ? Set.of() : Set.of(MemoryType.parse(type));
    List<Recalled> found = s.memories().recall(new Recall(agentId, query.strip(), types, MAX_FOUND));
    console.render(ctx, "memory_found.jte", new Found(agentId, query.strip(), found, Auth.principal(ctx).can(Permission.OPERATE)));
  }

  private void delete(Context ctx) {
    Services s = Auth.services(ctx);
    String agentId = ctx.pathParam("id");
    String id = ctx.pathParam("memory");
    Memory memory = s.memories().get(id);
    if (!memory.agentId().equals(agentId)) {
      throw new NotFoundException("agent '" + agentId + "' has no memory '" + id + "'; it belongs to agent '" + memory.agentId() + "'");
    }
    s.memories().delete(id);
    // htmx swaps the memory's row for nothing.
    ctx.status(200).contentType("text/html; charset=utf-8").result("");
  }

  private void feedback(Context ctx) {
    Services s = Auth.services(ctx);
    String agentId = s.agents().get(ctx.pathParam("id")).id();
    String runId = blankToNull(ctx.formParam("run_id"));
    var lessons = new ArrayList<String>();
    String lessonText = ctx.formParam("lessons");
    if (lessonText != null) {
      for (String line : lessonText.split("\\R")) {
        if (!line.isBlank()) {
          lessons.add(line.strip());
        }
      }
    }
    Double score = null;
    String scoreText = blankToNull(ctx.formParam("score"));
    if (scoreText != null) {
      try {
        score = Double.valueOf(scoreText);
      } catch (NumberFormatException e) {
        throw new InvalidInputException("the score must be a number from 0 (bad) to 1 (perfect), not '" + scoreText + "'");
      }
    }
    s.learning().record(new Learning.Input(runId, agentId, FeedbackOutcome.parse(ctx.formParam("outcome")), score,
        blankToNull(ctx.formParam("expected_output")), blankToNull(ctx.formParam("reason")), lessons));
    // A query, not only a fragment: a redirect to the same page with another fragment would not reload it.
    Console.redirect(ctx, "/maestro/agents/" + agentId + "?feedback=recorded#learning");
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
