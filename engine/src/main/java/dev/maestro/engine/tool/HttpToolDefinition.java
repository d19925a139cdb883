package dev.maestro.engine.tool;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * A tool registered at run time whose calls POST their arguments as JSON to a URL: what is stored
 * so it survives restarts.
 *
 * @param timeoutSeconds how long one call may take; null for the default
 */
public record HttpToolDefinition(String name, String description, JsonNode parameters, String url, RiskLevel risk, boolean idempotent,
    Integer timeoutSeconds) {

  /** The tool as the model and the safety engine see it; validates name, description and schema. */
  public ToolSpec spec() {
    return new ToolSpec(name, description, parameters, risk, idempotent, timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds));
  }
}
