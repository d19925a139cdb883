package dev.maestro.server;

import static dev.maestro.server.Auth.services;

import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.auth.Permission;
import dev.maestro.engine.run.ApprovalQuery;
import dev.maestro.engine.run.ApprovalRequest;
import dev.maestro.engine.run.ApprovalStatus;
import io.javalin.http.Context;
import java.util.List;

/**
 * Human in the loop: the queue of tool calls waiting for people, their history, and approving or
 * rejecting them. Approval resumes the run; rejection (with a comment) is what the model is told.
 */
final class ApprovalRoutes {

  List<Route> routes() {
    return List.of(
        Route.get("/api/apa/hitl/pending", "approvals", "Tool calls waiting for approval, newest first", "ApprovalPage", this::pending,
            new Route.Param("agent_id", "only requests of this agent's runs"),
            new Route.Param("limit", "at most this many (1-1000, default 50)"),
            new Route.Param("offset", "skip this many first (default 0)")),
        Route.get("/api/apa/hitl/history", "approvals", "Approval requests in any status, newest first", "ApprovalPage", this::history,
            new Route.Param("status", "only requests in this status: pending, approved, rejected, expired"),
            new Route.Param("agent_id", "only requests of this agent's runs"),
            new Route.Param("run_id", "only requests of this run"),
            new Route.Param("tool", "only requests to call this tool"),
            new Route.Param("created_after", "only requests made at or after this ISO-8601 instant"),
            new Route.Param("created_before", "only requests made before this ISO-8601 instant"),
            new Route.Param("limit", "at most this many (1-1000, default 50)"),
            new Route.Param("offset", "skip this many first (default 0)")),
        Route.get("/api/apa/hitl/{id}", "approvals", "Show an approval request", "ApprovalRequest", this::show),
        Route.post("/api/apa/hitl/{id}/approve", "approvals", "Approve a waiting tool call; enough approvals resume the run",
            "Approve", "ApprovalRequest", 200, this::approve).requires(Permission.APPROVE),
        Route.post("/api/apa/hitl/{id}/reject", "approvals", "Reject a waiting tool call, saying why; the run resumes and the model is told",
            "Reject", "ApprovalRequest", 200, this::reject).requires(Permission.APPROVE));
  }

  private void pending(Context ctx) {
    int limit = Params.integer(ctx, "limit", 50);
    int offset = Params.integer(ctx, "offset", 0);
    var query = new ApprovalQuery(ApprovalStatus.PENDING, Params.text(ctx, "agent_id"), null, null, null, null, null, limit, offset);
    RunRoutes.json(ctx, Params.page("requests", services(ctx).runs().approvals(query), limit, offset));
  }

  private void history(Context ctx) {
    int limit = Params.integer(ctx, "limit", 50);
    int offset = Params.integer(ctx, "offset", 0);
    String status = Params.text(ctx, "status");
    var query = new ApprovalQuery(status == null ? null : ApprovalStatus.parse(status), Params.text(ctx, "agent_id"),
        Params.text(ctx, "run_id"), Params.text(ctx, "tool"), Params.instant(ctx, "created_after"), Params.instant(ctx, "created_before"),
        null, limit, offset);
    RunRoutes.json(ctx, Params.page("requests", services(ctx).runs().approvals(query), limit, offset));
  }

  private void show(Context ctx) {
    RunRoutes.json(ctx, find(ctx, ctx.pathParam("id")));
  }

  private void approve(Context ctx) {
    String id = ctx.pathParam("id");
    Body body = Body.orEmpty(ctx, "approver", "comment");
    find(ctx, id);
    RunRoutes.json(ctx, services(ctx).engine().approve(id, Auth.principal(ctx).name(), body.optional("comment")));
  }

  private void reject(Context ctx) {
    String id = ctx.pathParam("id");
    Body body = Body.of(ctx, "approver", "comment");
    find(ctx, id);
    String comment = body.required("comment");
    RunRoutes.json(ctx, services(ctx).engine().reject(id, Auth.principal(ctx).name(), comment));
  }

  private static ApprovalRequest find(Context ctx, String id) {
    return services(ctx).runs().approval(id).orElseThrow(() -> new NotFoundException(
        "no approval request '" + id + "'; list pending ones with GET /api/apa/hitl/pending"));
  }
}
