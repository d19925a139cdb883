package dev.maestro.server;

import dev.maestro.engine.auth.Permission;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * One endpoint: how it is served and how the OpenAPI document describes it. The server registers
 * and documents the same list, so the document cannot leave an endpoint out.
 *
 * @param request the component schema of the request body, or null
 * @param response the component schema of a successful response (or a media type such as {@code
 *     text/event-stream}), or null for none
 * @param query the query parameters it reads: name and description
 * @param permission what the caller's role must allow, or null for an endpoint open to anyone (health, metrics)
 */
record Route(HandlerType method, String path, String tag, String summary, String request, String response, int status,
    List<Param> query, Handler handler, Permission permission) {

  record Param(String name, String description) {}

  static Route get(String path, String tag, String summary, String response, Handler handler, Param... query) {
    return new Route(HandlerType.GET, path, tag, summary, null, response, 200, List.of(query), handler, Permission.READ);
  }

  static Route post(String path, String tag, String summary, String request, String response, int status, Handler handler) {
    return new Route(HandlerType.POST, path, tag, summary, request, response, status, List.of(), handler, Permission.OPERATE);
  }

  static Route put(String path, String tag, String summary, String request, String response, Handler handler) {
    return new Route(HandlerType.PUT, path, tag, summary, request, response, 200, List.of(), handler, Permission.OPERATE);
  }

  static Route delete(String path, String tag, String summary, String response, Handler handler) {
    return new Route(HandlerType.DELETE, path, tag, summary, null, response, 200, List.of(), handler, Permission.OPERATE);
  }

  /** This route, allowed to callers whose role grants the permission (null: to anyone, without a token). */
  Route requires(Permission p) {
    return new Route(method, path, tag, summary, request, response, status, query, handler, p);
  }

  /**
   * The audit trail's name for what this route does: the path's fixed segments and the method,
   * e.g. {@code runs.cancel.post} for {@code POST /api/apa/runs/{id}/cancel}.
   */
  String action() {
    var parts = new java.util.ArrayList<String>();
    for (String segment : path.replaceFirst("^/api/apa/", "").split("/")) {
      if (!segment.isEmpty() && !segment.startsWith("{")) {
        parts.add(segment.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]", "_"));
      }
    }
    parts.add(method.name().toLowerCase(java.util.Locale.ROOT));
    return String.join(".", parts);
  }
}
