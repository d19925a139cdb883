package dev.maestro.server;

import static dev.maestro.server.Auth.services;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.agent.Agent;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.agent.AgentSpecs;
import dev.maestro.engine.agent.AgentStatus;
import io.javalin.http.Context;
import java.util.List;

/** Agents: create, list, show, replace, enable, pause, delete. The body of create and replace is an AgentSpec. */
final class AgentRoutes {

  List<Route> routes() {
    return List.of(
        Route.get("/api/apa/agents", "agents", "List agents", "AgentList", this::list),
        Route.post("/api/apa/agents", "agents", "Create an agent from its spec", "AgentSpec", "Agent", 201, this::create),
        Route.get("/api/apa/agents/{id}", "agents", "Show an agent", "Agent", ctx -> RunRoutes.json(ctx, services(ctx).agents().get(ctx.pathParam("id")))),
        Route.put("/api/apa/agents/{id}", "agents", "Replace an agent's spec (its status is kept)", "AgentSpec", "Agent", this::replace),
        Route.post("/api/apa/agents/{id}/enable", "agents", "Enable an agent", null, "Agent", 200,
            ctx -> RunRoutes.json(ctx, services(ctx).agents().enable(ctx.pathParam("id")))),
        Route.post("/api/apa/agents/{id}/pause", "agents", "Pause an agent: it starts no runs until enabled", null, "Agent", 200,
            ctx -> RunRoutes.json(ctx, services(ctx).agents().pause(ctx.pathParam("id")))),
        Route.delete("/api/apa/agents/{id}", "agents", "Delete an agent (its runs are kept)", "Agent",
            ctx -> RunRoutes.json(ctx, services(ctx).agents().delete(ctx.pathParam("id")))));
  }

  private void list(Context ctx) {
    List<Agent> agents = services(ctx).agents().list().stream().filter(a -> a.status() != AgentStatus.DELETED).toList();
    RunRoutes.json(ctx, java.util.Map.of("agents", agents));
  }

  private void create(Context ctx) {
    AgentSpec spec = spec(ctx);
    if (exists(ctx, spec.id())) {
      throw new ConflictException("agent '" + spec.id() + "' already exists; replace it with PUT /api/apa/agents/" + spec.id());
    }
    Agent agent = services(ctx).agents().create(spec);
    ctx.status(201).header("Location", "/api/apa/agents/" + agent.id());
    RunRoutes.json(ctx, agent);
  }

  private void replace(Context ctx) {
    String id = ctx.pathParam("id");
    AgentSpec spec = spec(ctx);
    if (!spec.id().equals(id)) {
      throw new InvalidInputException("the spec's id '" + spec.id() + "' differs from the agent id in the path '" + id + "'; an agent's id cannot change");
    }
    services(ctx).agents().get(id); // 404 when absent
    RunRoutes.json(ctx, services(ctx).agents().create(spec));
  }

  private static boolean exists(Context ctx, String id) {
    return services(ctx).agents().list().stream().anyMatch(a -> a.id().equals(id) && a.status() != AgentStatus.DELETED);
  }

  private static AgentSpec spec(Context ctx) {
    if (ctx.body().isBlank()) {
      throw new InvalidInputException("the request body is empty; send the agent's spec as JSON, at least {\"id\": ..., \"model\": ...}");
    }
    return AgentSpecs.parse(ctx.body(), "the request body");
  }
}
