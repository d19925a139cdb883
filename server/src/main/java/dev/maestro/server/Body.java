package dev.maestro.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.internal.Json;
import io.javalin.http.Context;
import java.util.Set;
import java.util.TreeSet;

/** A JSON request body, read strictly: every mistake is a 400 naming the field and what to send. */
final class Body {
  private final JsonNode node;

  private Body(JsonNode node) {
    this.node = node;
  }

  /**
   * The request's JSON object, which may hold only the given fields.
   *
   * @throws InvalidInputException if it is not JSON, not an object, or has an unknown field
   */
  static Body of(Context ctx, String... fields) {
    String text = ctx.body();
    if (text.isBlank()) {
      throw new InvalidInputException("the request body is empty; send a JSON object with " + String.join(", ", fields));
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      var where = e.getLocation();
      throw new InvalidInputException("the request body is not valid JSON"
          + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")") + ": " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InvalidInputException("the request body must be a JSON object with " + String.join(", ", fields));
    }
    Set<String> known = Set.of(fields);
    for (String name : (Iterable<String>) () -> node.fieldNames()) {
      if (!known.contains(name)) {
        throw new InvalidInputException("unknown field '" + name + "'; this request takes " + new TreeSet<>(known));
      }
    }
    return new Body(node);
  }

  /** As {@link #of}, but an empty body is an empty object: for requests whose fields are all optional. */
  static Body orEmpty(Context ctx, String... fields) {
    return ctx.body().isBlank() ? new Body(Json.MAPPER.createObjectNode()) : of(ctx, fields);
  }

  JsonNode node() {
    return node;
  }

  String required(String field) {
    String value = optional(field);
    if (value == null || value.isBlank()) {
      throw new InvalidInputException("field '" + field + "' is required and must be a non-empty string");
    }
    return value;
  }

  String optional(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new InvalidInputException("field '" + field + "' must be a string, not " + v.getNodeType().name().toLowerCase());
    }
    return v.asText();
  }

  /** An object field; an empty object when absent. */
  JsonNode object(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return Json.MAPPER.createObjectNode();
    }
    if (!v.isObject()) {
      throw new InvalidInputException("field '" + field + "' must be a JSON object, not " + v.getNodeType().name().toLowerCase());
    }
    return v;
  }

  Boolean bool(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw new InvalidInputException("field '" + field + "' must be true or false");
    }
    return v.asBoolean();
  }

  Long number(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new InvalidInputException("field '" + field + "' must be a whole number");
    }
    return v.asLong();
  }
}
