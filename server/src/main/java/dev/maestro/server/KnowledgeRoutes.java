package dev.maestro.server;

import static dev.maestro.server.Auth.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.auth.Permission;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.knowledge.KnowledgeQuery;
import dev.maestro.engine.knowledge.SearchMode;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Knowledge collections: create, list, show, delete, ingest (files under the server's working directory, or URLs), search. */
final class KnowledgeRoutes {
  private final Ingestions ingestions;

  KnowledgeRoutes(Ingestions ingestions) {
    this.ingestions = ingestions;
  }

  List<Route> routes() {
    return List.of(
        Route.post("/api/apa/knowledge/collections", "knowledge", "Create a knowledge collection", "CreateCollection", "KnowledgeCollection", 201,
            this::create),
        Route.get("/api/apa/knowledge/collections", "knowledge", "List the knowledge collections", "CollectionList", ctx -> {
          ObjectNode doc = Json.MAPPER.createObjectNode();
          doc.set("collections", Json.MAPPER.valueToTree(services(ctx).knowledge().collections()));
          RunRoutes.json(ctx, doc);
        }),
        Route.get("/api/apa/knowledge/collections/{name}", "knowledge", "Show a knowledge collection", "KnowledgeCollection",
            ctx -> RunRoutes.json(ctx, services(ctx).knowledge().collection(ctx.pathParam("name")))),
        Route.delete("/api/apa/knowledge/collections/{name}", "knowledge", "Delete a knowledge collection and its index", "Deleted", ctx -> {
          services(ctx).knowledge().delete(ctx.pathParam("name"));
          RunRoutes.json(ctx, Map.of("deleted", ctx.pathParam("name")));
        }),
        Route.post("/api/apa/knowledge/collections/{name}/ingest", "knowledge",
            "Ingest files and directories (relative to the server's working directory) and http(s) URLs; unchanged documents are skipped."
                + " With the header 'Prefer: respond-async' the answer is 202 with an Ingestion to follow at its Location",
            "Ingest", "IngestReport", 200, this::ingest),
        Route.get("/api/apa/knowledge/ingestions", "knowledge", "The newest ingestions started with Prefer: respond-async", "IngestionList",
            ctx -> RunRoutes.json(ctx, Map.of("ingestions", ingestions.list(services(ctx).workspaceId()).stream().map(Ingestions.Ingestion::view)
                .toList()))),
        Route.get("/api/apa/knowledge/ingestions/{id}", "knowledge", "An ingestion's progress, and its report once completed", "Ingestion",
            ctx -> RunRoutes.json(ctx, ingestions.find(services(ctx).workspaceId(), ctx.pathParam("id")).orElseThrow(() -> new NotFoundException(
                "no ingestion '" + ctx.pathParam("id") + "'; ingestions are kept in memory, the newest " + Ingestions.KEPT
                    + ", until the server restarts (GET /api/apa/knowledge/ingestions lists them)")).view())),
        Route.post("/api/apa/knowledge/search", "knowledge", "Search a collection: passages with citations", "KnowledgeSearch", "PassageList", 200,
            this::search).requires(Permission.READ));
  }

  private void create(Context ctx) {
    Body body = Body.of(ctx, "name", "description");
    var collection = services(ctx).knowledge().create(body.required("name"), body.optional("description"));
    ctx.status(201);
    RunRoutes.json(ctx, collection);
  }

  private void ingest(Context ctx) {
    Body body = Body.of(ctx, "sources");
    JsonNode sources = body.node().get("sources");
    if (sources == null || !sources.isArray() || sources.isEmpty()) {
      throw new InvalidInputException("field 'sources' is required: a non-empty array of paths (relative to the server's working directory) or URLs");
    }
    var resolved = new ArrayList<String>();
    for (JsonNode s : sources) {
      if (!s.isTextual() || s.asText().isBlank()) {
        throw new InvalidInputException("every entry of 'sources' must be a non-empty string");
      }
      String source = s.asText().strip();
      resolved.add(source.startsWith("http://") || source.startsWith("https://") ? source : confined(ctx, source));
    }
    String collection = ctx.pathParam("name");
    String prefer = ctx.header("Prefer");
    if (prefer != null && prefer.toLowerCase(java.util.Locale.ROOT).contains("respond-async")) {
      services(ctx).knowledge().collection(collection); // an unknown collection is a 404 now, not a failed ingestion later
      var job = ingestions.start(services(ctx).workspaceId(), services(ctx).knowledge(), collection, resolved);
      ctx.status(202).header("Location", "/api/apa/knowledge/ingestions/" + job.id).header("Preference-Applied", "respond-async");
      RunRoutes.json(ctx, job.view());
      return;
    }
    RunRoutes.json(ctx, services(ctx).knowledge().ingest(collection, resolved, null));
  }

  /**
   * A path inside the server's working directory (symbolic links resolved), as runs' file access is:
   * for the knowledge API and the console's pages that read files (knowledge, the Spark pack).
   */
  static String confined(Context ctx, String source) {
    Path workdir = services(ctx).workdir();
    Path path = workdir.resolve(source).normalize();
    try {
      Path real = Files.exists(path) ? path.toRealPath() : path;
      if (!real.startsWith(workdir.toRealPath())) {
        throw new InvalidInputException("'" + source + "' is outside the server's working directory " + workdir
            + "; the API ingests only files under it (MAESTRO_WORKDIR)");
      }
    } catch (IOException e) {
      throw new InvalidInputException("cannot read '" + source + "': " + e.getMessage());
    }
    return path.toString();
  }

  private void search(Context ctx) {
    Body body = Body.of(ctx, "collection", "query", "limit", "mode", "filters");
    Long limit = body.number("limit");
    String mode = body.optional("mode");
    var filters = new HashMap<String, String>();
    body.object("filters").properties().forEach(e -> filters.put(e.getKey(), e.getValue().asText()));
    var query = new KnowledgeQuery(body.required("collection"), body.required("query"),
        limit == null ? 5 : (int) Math.max(Integer.MIN_VALUE, Math.min(limit, 1000)), filters, mode == null ? SearchMode.HYBRID : SearchMode.parse(mode));
    ObjectNode doc = Json.MAPPER.createObjectNode();
    doc.set("passages", Json.MAPPER.valueToTree(services(ctx).knowledge().search(query)));
    RunRoutes.json(ctx, doc);
  }
}
