package dev.maestro.server;

import static dev.maestro.server.Auth.services;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.learning.FeedbackOutcome;
import dev.maestro.engine.learning.Learning;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/** Learning from feedback: record feedback on a run (its lessons become procedural memories), read an agent's insights. */
final class LearningRoutes {

  List<Route> routes() {
    return List.of(
        Route.post("/api/apa/learning/feedback", "learning",
            "Feedback on a run: outcome, score, expected output, reason, lessons (each becomes a procedural memory of the agent)", "FeedbackInput",
            "Feedback", 201, this::feedback),
        Route.get("/api/apa/learning/insights/{agent_id}", "learning",
            "What an agent's feedback says: success rate, score trend, frequent failure reasons, lessons in force", "Insights",
            ctx -> RunRoutes.json(ctx, services(ctx).learning().insights(ctx.pathParam("agent_id")))));
  }

  private void feedback(Context ctx) {
    Body body = Body.of(ctx, "run_id", "agent_id", "outcome", "score", "expected_output", "reason", "lessons");
    var lessons = new ArrayList<String>();
    JsonNode l = body.node().get("lessons");
    if (l != null && !l.isNull()) {
      if (!l.isArray()) {
        throw new InvalidInputException("field 'lessons' must be an array of strings, one lesson each");
      }
      for (JsonNode lesson : l) {
        if (!lesson.isTextual()) {
          throw new InvalidInputException("every entry of 'lessons' must be a string");
        }
        lessons.add(lesson.asText());
      }
    }
    var feedback = services(ctx).learning().record(new Learning.Input(body.optional("run_id"), body.optional("agent_id"),
        FeedbackOutcome.parse(body.required("outcome")), MemoryRoutes.decimal(body.node(), "score"), body.optional("expected_output"),
        body.optional("reason"), lessons));
    ctx.status(201);
    RunRoutes.json(ctx, feedback);
  }
}
