package dev.maestro.engine.tool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Something an agent can do. Implementations are given validated-by-shape JSON arguments and return
 * the observation the model will read.
 */
public interface Tool {

  ToolSpec spec();

  /**
   * Performs the call.
   *
   * @param arguments a JSON object (may lack fields the schema requires: check and say which)
   * @return the observation for the model: text, often JSON
   * @throws ToolException when the call is refused or fails in a way the model should be told about
   */
  String call(JsonNode arguments, ToolContext context);

  /**
   * Whether this particular call may safely be repeated after a crash interrupted it. By default
   * the tool's declaration; a tool whose calls differ (HTTP GET versus POST) decides per call.
   */
  default boolean idempotent(JsonNode arguments) {
    return spec().idempotent();
  }
}
