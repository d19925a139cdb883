package dev.maestro.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document, generated from the same route list the server registers; the schemas
 * of bodies are in {@code openapi-schemas.json} next to this class.
 */
final class OpenApi {
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([a-z_]+)}");

  private OpenApi() {}

  static String document(List<Route> routes, String version) {
    ObjectNode doc = Json.MAPPER.createObjectNode();
    doc.put("openapi", "3.1.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Maestro API");
    info.put("version", version);
    info.put("description", "Run AI agents with durable, inspectable runs. Errors are RFC 9457 problem documents."
        + " A WebSocket at /ws carries the same events as the event streams: the workspace's, or one run's with ?run_id=ID&after=SEQ;"
        + " each message is {\"id\", \"type\", \"data\"}.");
    ObjectNode paths = doc.putObject("paths");
    for (Route r : routes) {
      ObjectNode path = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
      ObjectNode op = path.putObject(r.method().name().toLowerCase(Locale.ROOT));
      op.put("summary", r.summary());
      op.putArray("tags").add(r.tag());
      op.put("operationId", operationId(r));
      ArrayNode params = Json.MAPPER.createArrayNode();
      Matcher m = PATH_PARAM.matcher(r.path());
      while (m.find()) {
        ObjectNode p = params.addObject();
        p.put("name", m.group(1));
        p.put("in", "path");
        p.put("required", true);
        p.putObject("schema").put("type", "string");
      }
      for (Route.Param q : r.query()) {
        ObjectNode p = params.addObject();
        p.put("name", q.name());
        p.put("in", "query");
        p.put("description", q.description());
        p.putObject("schema").put("type", "string");
      }
      if (!params.isEmpty()) {
        op.set("parameters", params);
      }
      if (r.request() != null) {
        ObjectNode body = op.putObject("requestBody");
        body.put("required", true);
        body.putObject("content").putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/" + r.request());
      }
      ObjectNode responses = op.putObject("responses");
      ObjectNode ok = responses.putObject(Integer.toString(r.status()));
      ok.put("description", "success");
      if (r.response() != null) {
        if (r.response().contains("/")) {
          ok.putObject("content").putObject(r.response()).putObject("schema").put("type", "string");
        } else {
          ok.putObject("content").putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/" + r.response());
        }
      }
      problem(responses, 400, "invalid input: the detail names the field and what to send");
      if (r.path().contains("{")) {
        problem(responses, 404, "no such resource");
      }
      if (r.method().name().equals("POST") || r.method().name().equals("PUT") || r.method().name().equals("DELETE")) {
        problem(responses, 409, "the resource is in a state that does not allow this (a finished run, an existing id)");
      }
    }
    doc.set("components", components());
    return Json.write(doc);
  }

  private static void problem(ObjectNode responses, int status, String description) {
    ObjectNode r = responses.putObject(Integer.toString(status));
    r.put("description", description);
    r.putObject("content").putObject(Problems.CONTENT_TYPE).putObject("schema").put("$ref", "#/components/schemas/Problem");
  }

  private static String operationId(Route r) {
    var sb = new StringBuilder(r.method().name().toLowerCase(Locale.ROOT));
    for (String part : r.path().split("[/{}_.-]+")) {
      if (!part.isEmpty() && !part.equals("api") && !part.equals("apa")) {
        sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return sb.toString();
  }

  private static JsonNode components() {
    try (InputStream in = OpenApi.class.getResourceAsStream("openapi-schemas.json")) {
      ObjectNode components = Json.MAPPER.createObjectNode();
      components.set("schemas", Json.MAPPER.readTree(in));
      return components;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
