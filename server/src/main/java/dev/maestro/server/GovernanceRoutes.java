package dev.maestro.server;

import static dev.maestro.server.Auth.services;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.audit.AuditQuery;
import dev.maestro.engine.auth.IssuedToken;
import dev.maestro.engine.auth.Permission;
import dev.maestro.engine.auth.Principal;
import dev.maestro.engine.auth.Role;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.safety.Policies;
import dev.maestro.engine.safety.Policy;
import dev.maestro.engine.safety.StoredPolicy;
import io.javalin.http.Context;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Governance: safety policies (stored, versioned, validated), the audit trail (filtered, exported,
 * verified) and the workspace's API tokens. Changing policies and tokens takes the admin role.
 */
final class GovernanceRoutes {
  private final Workspaces workspaces;
  private final Auth auth;

  GovernanceRoutes(Workspaces workspaces, Auth auth) {
    this.workspaces = workspaces;
    this.auth = auth;
  }

  List<Route> routes() {
    return List.of(
        Route.get("/api/apa/policies", "governance", "The safety policies in force", "PolicyList",
            ctx -> RunRoutes.json(ctx, list("policies", services(ctx).policies().list()))),
        Route.post("/api/apa/policies", "governance", "Add a policy (YAML or JSON); one that does not parse or contradicts itself is refused",
            "Policy", "StoredPolicy", 201, this::create).requires(Permission.ADMINISTER),
        Route.post("/api/apa/policies/validate", "governance", "Check policy documents (one or a list) without storing them", "Policy",
            "PolicyList", 200, ctx -> RunRoutes.json(ctx, list("policies", Policies.parse(ctx.body(), "the request body")))),
        Route.get("/api/apa/policies/{id}", "governance", "Show a policy's current version", "StoredPolicy",
            ctx -> RunRoutes.json(ctx, find(ctx, ctx.pathParam("id")))),
        Route.put("/api/apa/policies/{id}", "governance", "Replace a policy: pass the version you edited as ?version=N", "Policy",
            "StoredPolicy", this::update).requires(Permission.ADMINISTER),
        Route.delete("/api/apa/policies/{id}", "governance", "Delete a policy (its history is kept): pass ?version=N", "StoredPolicy",
            this::delete).requires(Permission.ADMINISTER),
        Route.get("/api/apa/policies/{id}/history", "governance", "Every version of a policy, newest first", "PolicyList",
            ctx -> RunRoutes.json(ctx, list("policies", services(ctx).policies().history(ctx.pathParam("id"))))),
        Route.get("/api/apa/audit", "governance", "The audit trail, oldest first, with filters; page with after_seq", "AuditPage",
            this::audit, auditParams()),
        Route.get("/api/apa/audit/export", "governance", "The audit trail as JSON lines, with the same filters", "application/x-ndjson",
            this::export, auditParams()),
        Route.get("/api/apa/audit/verify", "governance", "Walk the hash chain: is any entry edited or deleted?", "Verification",
            ctx -> RunRoutes.json(ctx, services(ctx).audit().verify())),
        Route.get("/api/apa/tokens", "governance", "The workspace's API tokens (never their secrets)", "TokenList",
            ctx -> RunRoutes.json(ctx, list("tokens", workspaces.tokens().list(services(ctx).workspaceId()))))
            .requires(Permission.ADMINISTER),
        Route.post("/api/apa/tokens", "governance", "Create a token for a person or a program; its secret is shown once", "CreateToken",
            "IssuedToken", 201, this::createToken).requires(Permission.ADMINISTER),
        Route.delete("/api/apa/tokens/{id}", "governance", "Revoke a token: it stops working at once", "ApiToken",
            this::revoke).requires(Permission.ADMINISTER));
  }

  private static Route.Param[] auditParams() {
    return new Route.Param[] {
        new Route.Param("actor", "only entries by this actor, e.g. token:tok_ab12cd34ef56 (alice)"),
        new Route.Param("action", "only actions starting with this, e.g. runs. or safety."),
        new Route.Param("target", "only entries about this target (a path or a run id)"),
        new Route.Param("decision", "only entries with this decision: ok, refused, allow, log, require_approval, block, approved, rejected"),
        new Route.Param("since", "only entries at or after this ISO-8601 instant"),
        new Route.Param("until", "only entries before this ISO-8601 instant"),
        new Route.Param("after_seq", "only entries after this sequence number (the last one of the previous page)"),
        new Route.Param("limit", "at most this many (1-1000, default 100; export: all)")};
  }

  private void create(Context ctx) {
    Policy policy = one(ctx);
    StoredPolicy stored = services(ctx).policies().create(policy, actor(ctx));
    ctx.status(201).header("Location", "/api/apa/policies/" + stored.id());
    RunRoutes.json(ctx, stored);
  }

  private void update(Context ctx) {
    String id = ctx.pathParam("id");
    Policy policy = one(ctx);
    if (!policy.id().equals(id)) {
      throw new InvalidInputException("the document's id is '" + policy.id() + "' but the path names '" + id
          + "'; a policy's id cannot change: delete it and add a new one");
    }
    RunRoutes.json(ctx, services(ctx).policies().update(policy, version(ctx), actor(ctx)));
  }

  private void delete(Context ctx) {
    RunRoutes.json(ctx, services(ctx).policies().delete(ctx.pathParam("id"), version(ctx), actor(ctx)));
  }

  private static Policy one(Context ctx) {
    List<Policy> policies = Policies.parse(ctx.body(), "the request body");
    if (policies.size() != 1) {
      throw new InvalidInputException("the request body holds " + policies.size() + " policies; send one at a time");
    }
    return policies.getFirst();
  }

  private static int version(Context ctx) {
    String text = Params.text(ctx, "version");
    if (text == null) {
      throw new InvalidInputException("say which version you edited as ?version=N (GET /api/apa/policies/" + ctx.pathParam("id")
          + " shows the current one), so that a change made meanwhile is not overwritten");
    }
    return Params.integer(ctx, "version", 0);
  }

  private static StoredPolicy find(Context ctx, String id) {
    return services(ctx).policies().find(id).orElseThrow(() -> new NotFoundException("no policy '" + id
        + "'; list them with GET /api/apa/policies"));
  }

  private static AuditQuery auditQuery(Context ctx, int defaultLimit) {
    String after = Params.text(ctx, "after_seq");
    Long afterSeq;
    try {
      afterSeq = after == null ? null : Long.valueOf(after);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("query parameter 'after_seq' must be a whole number, not '" + after + "'");
    }
    return new AuditQuery(Params.text(ctx, "actor"), Params.text(ctx, "action"), Params.text(ctx, "target"),
        Params.text(ctx, "decision"), Params.instant(ctx, "since"), Params.instant(ctx, "until"), afterSeq,
        Params.integer(ctx, "limit", defaultLimit));
  }

  private void audit(Context ctx) {
    AuditQuery query = auditQuery(ctx, 100);
    var entries = services(ctx).audit().list(query);
    ObjectNode page = list("entries", entries);
    page.put("limit", query.limit());
    if (entries.size() == query.limit()) {
      page.put("next_after_seq", entries.getLast().seq());
    } else {
      page.putNull("next_after_seq");
    }
    RunRoutes.json(ctx, page);
  }

  private void export(Context ctx) throws Exception {
    AuditQuery query = auditQuery(ctx, Integer.MAX_VALUE);
    ctx.contentType("application/x-ndjson");
    try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
      services(ctx).audit().export(query, out);
    }
  }

  private void createToken(Context ctx) {
    Body body = Body.of(ctx, "name", "role");
    IssuedToken issued = workspaces.tokens().create(services(ctx).workspaceId(), body.required("name"), Role.parse(body.required("role")),
        actor(ctx));
    ctx.status(201);
    RunRoutes.json(ctx, issued);
  }

  private void revoke(Context ctx) {
    var revoked = workspaces.tokens().revoke(services(ctx).workspaceId(), ctx.pathParam("id"));
    auth.forget(revoked.id());
    RunRoutes.json(ctx, revoked);
  }

  private static String actor(Context ctx) {
    Principal p = Auth.principal(ctx);
    return p.actor();
  }

  private static ObjectNode list(String name, List<?> items) {
    ObjectNode doc = Json.MAPPER.createObjectNode();
    doc.set(name, Json.MAPPER.valueToTree(items));
    return doc;
  }
}
