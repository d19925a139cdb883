package dev.maestro.server;

import static dev.maestro.server.Auth.services;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.agent.Agent;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.run.Reasoner;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunHandle;
import dev.maestro.engine.run.RunOptions;
import dev.maestro.engine.run.RunQuery;
import dev.maestro.engine.run.RunStatus;
import dev.maestro.engine.tool.Tool;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/** Runs: start, list, show, traces, cancel, resume; and one reasoning step on a given context. */
final class RunRoutes {
  RunRoutes() {}

  List<Route> routes() {
    return List.of(
        Route.post("/api/apa/runs", "runs", "Start a run of an agent on an input", "StartRun", "Run", 201, this::start),
        Route.get("/api/apa/runs", "runs", "List runs, newest first", "RunPage", this::list,
            new Route.Param("agent_id", "only runs of this agent"),
            new Route.Param("status", "only runs in this status: pending, running, waiting_approval, completed, failed, cancelled"),
            new Route.Param("created_after", "only runs created at or after this ISO-8601 instant, e.g. 2026-11-22T10:00:00Z"),
            new Route.Param("created_before", "only runs created before this ISO-8601 instant"),
            new Route.Param("limit", "at most this many runs (1-1000, default 50)"),
            new Route.Param("offset", "skip this many runs first (default 0)")),
        Route.get("/api/apa/runs/{id}", "runs", "Show a run", "Run", this::show),
        Route.get("/api/apa/runs/{id}/traces", "runs", "The run's reasoning trace: thoughts, actions, observations, answer", "Traces", this::traces),
        Route.post("/api/apa/runs/{id}/cancel", "runs", "Cancel an unfinished run", "CancelRun", "Run", 202, this::cancel),
        Route.post("/api/apa/runs/{id}/resume", "runs", "Continue an unfinished run from its log (after a crash or restart)", null, "Run", 202,
            this::resume),
        Route.post("/api/apa/reasoning/reason", "reasoning", "One reasoning step on a given context; nothing is executed or stored",
            "Reason", "ReasoningStep", 200, this::reason),
        Route.get("/api/apa/reasoning/traces/{run_id}", "reasoning", "The run's reasoning trace (same as /api/apa/runs/{id}/traces)",
            "Traces", ctx -> traces(ctx, ctx.pathParam("run_id"))));
  }

  private void start(Context ctx) {
    Body body = Body.of(ctx, "agent_id", "input", "model");
    Agent agent = services(ctx).agents().runnable(body.required("agent_id"));
    String input = body.required("input");
    RunHandle handle = services(ctx).engine().start(agent.spec(), input, new RunOptions(body.optional("model"), services(ctx).workdir()));
    Run run = find(ctx, handle.runId());
    ctx.status(201).header("Location", "/api/apa/runs/" + run.id());
    json(ctx, run);
  }

  private void list(Context ctx) {
    String status = ctx.queryParam("status");
    int limit = Params.integer(ctx, "limit", 50);
    int offset = Params.integer(ctx, "offset", 0);
    var query = new RunQuery(Params.text(ctx, "agent_id"), status == null || status.isBlank() ? null : RunStatus.parse(status),
        Params.instant(ctx, "created_after"), Params.instant(ctx, "created_before"), limit, offset);
    json(ctx, Params.page("runs", services(ctx).runs().list(query), limit, offset));
  }

  private void show(Context ctx) {
    json(ctx, find(ctx, ctx.pathParam("id")));
  }

  private void traces(Context ctx) {
    traces(ctx, ctx.pathParam("id"));
  }

  private void traces(Context ctx, String runId) {
    Run run = find(ctx, runId);
    ObjectNode doc = Json.MAPPER.createObjectNode();
    doc.put("run_id", run.id());
    doc.put("status", run.status().wire());
    doc.set("traces", Json.MAPPER.valueToTree(services(ctx).runs().traces(runId)));
    json(ctx, doc);
  }

  private void cancel(Context ctx) {
    String runId = ctx.pathParam("id");
    String reason = ctx.body().isBlank() ? null : Body.of(ctx, "reason").optional("reason");
    find(ctx, runId);
    services(ctx).engine().cancel(runId, reason);
    ctx.status(202);
    json(ctx, find(ctx, runId));
  }

  private void resume(Context ctx) {
    String runId = ctx.pathParam("id");
    services(ctx).engine().resume(runId);
    ctx.status(202);
    json(ctx, find(ctx, runId));
  }

  private void reason(Context ctx) {
    Body body = Body.of(ctx, "agent_id", "input", "model", "history");
    Agent agent = services(ctx).agents().get(body.required("agent_id"));
    var history = new ArrayList<Reasoner.Turn>();
    var turns = body.node().get("history");
    if (turns != null && !turns.isNull()) {
      if (!turns.isArray()) {
        throw new InvalidInputException("field 'history' must be an array of {\"role\": \"user\"|\"assistant\", \"content\": \"...\"}");
      }
      for (var turn : turns) {
        if (!turn.path("content").isTextual()) {
          throw new InvalidInputException("every 'history' entry needs a string 'content' (and a 'role': user or assistant)");
        }
        history.add(new Reasoner.Turn(turn.path("role").asText(), turn.path("content").asText()));
      }
    }
    List<Tool> tools = services(ctx).tools().select(agent.spec().tools());
    json(ctx, new Reasoner(services(ctx).models()).reason(agent.spec(), body.optional("model"), tools, history, body.required("input")));
  }

  private static Run find(Context ctx, String runId) {
    return services(ctx).runs().find(runId).orElseThrow(() -> new NotFoundException("no run '" + runId + "'; list runs with GET /api/apa/runs"));
  }

  static void json(Context ctx, Object value) {
    ctx.contentType("application/json").result(Json.write(value));
  }
}
