package dev.maestro.engine.model;

/**
 * Tokens one model call used.
 *
 * @param inputTokens every input token, cached ones included (the OpenAI and OpenTelemetry convention)
 * @param cachedTokens the part of the input served from the provider's prompt cache
 */
public record Usage(long inputTokens, long outputTokens, long cachedTokens) {
  public static final Usage NONE = new Usage(0, 0, 0);

  public long total() {
    return inputTokens + outputTokens;
  }
}
