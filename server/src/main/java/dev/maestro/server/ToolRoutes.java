package dev.maestro.server;

import static dev.maestro.server.Auth.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.auth.Permission;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.safety.Action;
import dev.maestro.engine.safety.Decision;
import dev.maestro.engine.tool.HttpToolDefinition;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.tool.ToolSpec;
import dev.maestro.engine.tool.builtin.RegisteredHttpTool;
import io.javalin.http.Context;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Tools: list them, call one directly, register an HTTP tool. */
final class ToolRoutes {

  List<Route> routes() {
    return List.of(
        Route.get("/api/apa/tools", "tools", "List the tools agents may use", "ToolList", this::list),
        Route.post("/api/apa/tools/{name}/execute", "tools", "Call a tool directly with arguments, outside any run", "ExecuteTool",
            "ToolResult", 200, this::execute),
        Route.post("/api/apa/tools/register", "tools",
            "Register an HTTP tool: its arguments are POSTed as JSON to its URL (public addresses only, unless allow-listed)",
            "RegisterTool", "Tool", 201, this::register).requires(Permission.ADMINISTER));
  }

  private void list(Context ctx) {
    ArrayNode tools = Json.MAPPER.createArrayNode();
    services(ctx).tools().all().forEach(t -> tools.add(describe(t)));
    ObjectNode doc = Json.MAPPER.createObjectNode();
    doc.set("tools", tools);
    RunRoutes.json(ctx, doc);
  }

  private void execute(Context ctx) {
    String name = ctx.pathParam("name");
    Tool tool = services(ctx).tools().find(name)
        .orElseThrow(() -> new NotFoundException("no tool '" + name + "'; list them with GET /api/apa/tools"));
    JsonNode arguments = ctx.body().isBlank() ? Json.MAPPER.createObjectNode() : Body.of(ctx, "arguments").object("arguments");
    var context = new ToolContext(null, null, services(ctx).workdir());
    Decision decision = services(ctx).safety().get().decide(null, tool, arguments, context.workdir());
    Auth.note(ctx, decision);
    if (decision.action() == Action.BLOCK || decision.action() == Action.REQUIRE_APPROVAL) {
      throw new Auth.Forbidden("the safety engine does not let " + name + " run directly (" + decision.risk().wire() + " risk, "
          + decision.action().wire() + " by " + decision.policy() + "): " + decision.reason()
          + (decision.action() == Action.BLOCK ? "" : "; give it to an agent, whose run waits for people to approve the call"));
    }
    ObjectNode result = Json.MAPPER.createObjectNode();
    result.put("tool", name);
    long t0 = System.nanoTime();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<String> call = executor.submit(() -> tool.call(arguments, context));
      try {
        result.put("ok", true);
        result.put("output", call.get(tool.spec().timeout().toMillis(), TimeUnit.MILLISECONDS));
      } catch (TimeoutException e) {
        call.cancel(true);
        result.put("ok", false);
        result.put("error", "the tool did not finish within " + tool.spec().timeout().toSeconds() + "s");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        result.put("ok", false);
        result.put("error", cause instanceof ToolException ? cause.getMessage() : "the tool failed: " + cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        call.cancel(true);
        result.put("ok", false);
        result.put("error", "interrupted");
      }
    }
    result.put("duration_ms", (System.nanoTime() - t0) / 1_000_000);
    RunRoutes.json(ctx, result);
  }

  private void register(Context ctx) {
    Body body = Body.of(ctx, "name", "description", "parameters", "url", "risk", "idempotent", "timeout_seconds");
    JsonNode parameters = body.node().get("parameters");
    if (parameters == null || parameters.isNull()) {
      parameters = Json.tree("{\"type\":\"object\",\"properties\":{}}");
    }
    Long timeout = body.number("timeout_seconds");
    if (timeout != null && (timeout < 1 || timeout > 600)) {
      throw new InvalidInputException("field 'timeout_seconds' is " + timeout + "; give 1 to 600");
    }
    String risk = body.optional("risk");
    Boolean idempotent = body.bool("idempotent");
    var definition = new HttpToolDefinition(body.required("name"), body.required("description"), parameters, body.required("url"),
        risk == null ? RiskLevel.MEDIUM : RiskLevel.parse(risk), idempotent != null && idempotent, timeout == null ? null : timeout.intValue());
    var tool = new RegisteredHttpTool(definition.spec(), definition.url(), services(ctx).http()); // validates before anything is stored
    if (services(ctx).tools().find(definition.name()).isPresent()) {
      throw new ConflictException("a tool named '" + definition.name() + "' is already registered");
    }
    services(ctx).httpTools().add(definition);
    services(ctx).tools().register(tool);
    ctx.status(201);
    RunRoutes.json(ctx, describe(tool));
  }

  static ObjectNode describe(Tool tool) {
    ToolSpec spec = tool.spec();
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("name", spec.name());
    node.put("description", spec.description());
    node.set("parameters", spec.parameters());
    node.put("risk", spec.risk().wire());
    node.put("idempotent", spec.idempotent());
    node.put("timeout_seconds", spec.timeout().toSeconds());
    node.put("source", source(tool));
    if (tool instanceof RegisteredHttpTool http) {
      node.put("url", http.url());
    }
    return node;
  }

  /** Where a tool comes from: {@code builtin}, {@code registered} (an HTTP tool added over the API) or {@code pack}. */
  static String source(Tool tool) {
    if (tool instanceof RegisteredHttpTool) {
      return "registered";
    }
    return tool.getClass().getName().startsWith("dev.maestro.engine.tool.builtin.") ? "builtin" : "pack";
  }
}
