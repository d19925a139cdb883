package dev.maestro.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.LimitExceededException;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.internal.Json;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Errors as RFC 9457 problem documents: what went wrong and what to do, never a stack trace. */
final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {}

  /** The HTTP status a Maestro exception means. */
  static int status(MaestroException e) {
    return switch (e) {
      case InvalidInputException x -> 400;
      case NotFoundException x -> 404;
      case ConflictException x -> 409;
      case LimitExceededException x -> 429;
      case Auth.Unauthorized x -> 401;
      case Auth.Forbidden x -> 403;
      default -> e.retryable() ? 503 : 502;
    };
  }

  static void send(Context ctx, int status, String detail) {
    ObjectNode doc = Json.MAPPER.createObjectNode();
    doc.put("type", "about:blank");
    doc.put("title", title(status));
    doc.put("status", status);
    doc.put("detail", detail);
    doc.put("instance", ctx.path());
    ctx.status(status).contentType(CONTENT_TYPE).result(Json.write(doc));
  }

  static void maestro(MaestroException e, Context ctx) {
    if (e instanceof Auth.Unauthorized) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"maestro\"");
    }
    send(ctx, status(e), e.getMessage());
  }

  static void unexpected(Exception e, Context ctx) {
    LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
    send(ctx, 500, "the server failed to handle this request (" + e.getClass().getSimpleName()
        + "); this is a bug in Maestro: the server log has the details");
  }

  static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 429 -> "Too Many Requests";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "Error";
    };
  }
}
