package dev.maestro.engine.run;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool call a model asked for.
 *
 * @param id the provider's call id for native tool calls; for the text protocol, one the engine made
 * @param arguments a JSON object
 */
public record ToolCall(String id, String name, JsonNode arguments) {}
