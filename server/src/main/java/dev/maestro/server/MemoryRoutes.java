package dev.maestro.server;

import static dev.maestro.server.Auth.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.auth.Permission;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.memory.Memory;
import dev.maestro.engine.memory.MemoryType;
import dev.maestro.engine.memory.NewMemory;
import dev.maestro.engine.memory.Recall;
import dev.maestro.engine.memory.Recalled;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Agent memory: remember, list by agent and type, search (ranked), delete. */
final class MemoryRoutes {

  List<Route> routes() {
    return List.of(
        Route.post("/api/apa/memory", "memory", "Store a memory of an agent (episodic, semantic or procedural)", "NewMemory", "Memory", 201,
            this::remember),
        Route.get("/api/apa/memory/{agent_id}", "memory", "An agent's memories, newest first", "MemoryPage", this::list,
            new Route.Param("type", "only memories of this type: episodic, semantic, procedural"),
            new Route.Param("limit", "at most this many (1-1000, default 50)"),
            new Route.Param("offset", "skip this many first (default 0)")),
        Route.post("/api/apa/memory/search", "memory", "An agent's memories most relevant to a query, ranked by relevance, importance and recency",
            "MemorySearch", "RecalledMemories", 200, this::search).requires(Permission.READ),
        Route.delete("/api/apa/memory/{id}", "memory", "Delete a memory", "Deleted", this::delete));
  }

  private void remember(Context ctx) {
    Body body = Body.of(ctx, "agent_id", "content", "type", "importance", "run_id", "metadata");
    String type = body.optional("type");
    Double importance = decimal(body.node(), "importance");
    var metadata = new HashMap<String, String>();
    body.object("metadata").properties().forEach(e -> {
      if (!e.getValue().isTextual()) {
        throw new InvalidInputException("metadata '" + e.getKey() + "' must be a string");
      }
      metadata.put(e.getKey(), e.getValue().asText());
    });
    Memory m = services(ctx).memories().remember(new NewMemory(body.required("agent_id"), type == null ? MemoryType.SEMANTIC : MemoryType.parse(type),
        body.required("content"), importance == null ? 0.5 : importance, body.optional("run_id"), metadata));
    ctx.status(201);
    RunRoutes.json(ctx, m);
  }

  private void list(Context ctx) {
    String type = ctx.queryParam("type");
    int limit = Params.integer(ctx, "limit", 50, 1, 1000);
    int offset = Params.integer(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    List<Memory> memories = services(ctx).memories().list(ctx.pathParam("agent_id"), type == null || type.isBlank() ? null : MemoryType.parse(type), limit,
        offset);
    ObjectNode page = Json.MAPPER.createObjectNode();
    page.put("agent_id", ctx.pathParam("agent_id"));
    page.set("memories", Json.MAPPER.valueToTree(memories));
    page.put("limit", limit);
    page.put("offset", offset);
    if (memories.size() == limit) {
      page.put("next_offset", offset + limit);
    } else {
      page.putNull("next_offset");
    }
    RunRoutes.json(ctx, page);
  }

  private void search(Context ctx) {
    Body body = Body.of(ctx, "agent_id", "query", "type", "limit");
    String type = body.optional("type");
    Long limit = body.number("limit");
    List<Recalled> found = services(ctx).memories().recall(new Recall(body.required("agent_id"), body.required("query"),
        type == null ? Set.of() : Set.of(MemoryType.parse(type)), limit == null ? 5 : (int) Math.max(Integer.MIN_VALUE, Math.min(limit, 1000))));
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (Recalled r : found) {
      ObjectNode o = Json.MAPPER.valueToTree(r.memory());
      o.put("score", r.score());
      o.put("relevance", r.relevance());
      o.put("recency", r.recency());
      out.add(o);
    }
    ObjectNode doc = Json.MAPPER.createObjectNode();
    doc.set("memories", out);
    RunRoutes.json(ctx, doc);
  }

  private void delete(Context ctx) {
    String id = ctx.pathParam("id");
    services(ctx).memories().delete(id);
    RunRoutes.json(ctx, Map.of("deleted", id));
  }

  /** A number field that may have a fraction; null when absent. */
  static Double decimal(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw new InvalidInputException("field '" + field + "' must be a number");
    }
    return v.asDouble();
  }
}
