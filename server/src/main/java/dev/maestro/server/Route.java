package dev.maestro.server;

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
 */
record Route(HandlerType method, String path, String tag, String summary, String request, String response, int status,
    List<Param> query, Handler handler) {

  record Param(String name, String description) {}

  static Route get(String path, String tag, String summary, String response, Handler handler, Param... query) {
    return new Route(HandlerType.GET, path, tag, summary, null, response, 200, List.of(query), handler);
  }

  static Route post(String path, String tag, String summary, String request, String response, int status, Handler handler) {
    return new Route(HandlerType.POST, path, tag, summary, request, response, status, List.of(), handler);
  }

  static Route put(String path, String tag, String summary, String request, String response, Handler handler) {
    return new Route(HandlerType.PUT, path, tag, summary, request, response, 200, List.of(), handler);
  }

  static Route delete(String path, String tag, String summary, String response, Handler handler) {
    return new Route(HandlerType.DELETE, path, tag, summary, null, response, 200, List.of(), handler);
  }
}
