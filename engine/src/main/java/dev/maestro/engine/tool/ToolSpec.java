package dev.maestro.engine.tool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.InvalidInputException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * What a tool is, as the model and the safety engine see it.
 *
 * @param parameters JSON Schema of the arguments object
 * @param idempotent whether calling it twice with the same arguments has the same effect as once;
 *     after a crash, an interrupted idempotent call is re-executed, any other is reported to the
 *     model as of unknown outcome
 * @param timeout how long one call may take before it is abandoned and reported as failed
 */
public record ToolSpec(String name, String description, JsonNode parameters, RiskLevel risk, boolean idempotent, Duration timeout) {

  private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.-]{0,63}");

  public ToolSpec {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidInputException("tool name '" + name + "' is not valid; use 1-64 letters, digits, '_', '-' or '.', starting with a letter");
    }
    if (description == null || description.isBlank()) {
      throw new InvalidInputException("tool '" + name + "' needs a description: the model reads it to decide when to call the tool");
    }
    if (parameters == null || !parameters.isObject() || !"object".equals(parameters.path("type").asText())) {
      throw new InvalidInputException("tool '" + name + "' parameters must be a JSON Schema of type 'object'");
    }
    risk = risk == null ? RiskLevel.LOW : risk;
    timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
  }
}
