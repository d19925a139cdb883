package dev.maestro.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.internal.Json;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Query parameters, read strictly: a malformed one is a 400 naming it, never ignored. */
final class Params {
  private Params() {}

  /** The parameter's text, or null when it is absent or blank. */
  static String text(Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  static int integer(Context ctx, String name, int fallback) {
    String value = text(ctx, name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("query parameter '" + name + "' must be a whole number, not '" + value + "'");
    }
  }

  /** A whole number between min and max (inclusive), or the fallback when absent. */
  static int integer(Context ctx, String name, int fallback, int min, int max) {
    int n = integer(ctx, name, fallback);
    if (n < min || n > max) {
      throw new InvalidInputException("query parameter '" + name + "' is " + n + "; give " + min + " to " + max);
    }
    return n;
  }

  static Instant instant(Context ctx, String name) {
    String value = text(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidInputException("query parameter '" + name + "' must be an ISO-8601 instant such as 2026-11-22T10:00:00Z, not '" + value + "'");
    }
  }

  /** One page of a list: the items under {@code name}, and the offset of the next page (null on the last). */
  static ObjectNode page(String name, List<?> items, int limit, int offset) {
    ObjectNode page = Json.MAPPER.createObjectNode();
    page.set(name, Json.MAPPER.valueToTree(items));
    page.put("limit", limit);
    page.put("offset", offset);
    if (items.size() == limit) {
      page.put("next_offset", offset + limit);
    } else {
      page.putNull("next_offset");
    }
    return page;
  }
}
