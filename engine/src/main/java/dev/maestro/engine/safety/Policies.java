package dev.maestro.engine.safety;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.internal.Json;
import java.util.ArrayList;
import java.util.List;

/** Reads policy documents: one policy, or a list of them, in YAML or JSON. */
public final class Policies {
  private Policies() {}

  /**
   * Parses a document holding one policy or a list of policies.
   *
   * @throws InvalidInputException saying what does not parse or which policy contradicts itself, and why
   */
  public static List<Policy> parse(String text, String source) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException(source + " is empty; a policy needs at least 'id' and 'set'");
    }
    JsonNode tree;
    try {
      tree = Json.YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(source + " does not parse: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    var policies = new ArrayList<Policy>();
    if (tree.isArray()) {
      for (int i = 0; i < tree.size(); i++) {
        policies.add(one(tree.get(i), source + " policy " + (i + 1)));
      }
    } else {
      policies.add(one(tree, source));
    }
    return policies;
  }

  private static Policy one(JsonNode node, String source) {
    if (!node.isObject()) {
      throw new InvalidInputException(source + " is not a policy object with 'id', 'match' and 'set'");
    }
    try {
      return Json.MAPPER.treeToValue(node, Policy.class);
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidInputException(source + ": unknown field '" + e.getPropertyName() + "' at " + path(e) + "; known fields there are "
          + e.getKnownPropertyIds());
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause();
      throw new InvalidInputException(cause instanceof InvalidInputException ? cause.getMessage() : source + ": " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      Throwable cause = e.getCause();
      throw new InvalidInputException(source + ": " + (cause instanceof InvalidInputException ? cause.getMessage() : e.getOriginalMessage()));
    }
  }

  private static String path(JsonProcessingException e) {
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
      var sb = new StringBuilder();
      for (var ref : m.getPath()) {
        sb.append(ref.getFieldName() != null ? "/" + ref.getFieldName() : "/" + ref.getIndex());
      }
      return sb.isEmpty() ? "/" : sb.toString();
    }
    return "/";
  }
}
