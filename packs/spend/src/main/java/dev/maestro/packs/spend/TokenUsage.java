package dev.maestro.packs.spend;

import dev.maestro.engine.InvalidInputException;

/**
 * Tokens of one request, or of an aggregate of requests, in one convention: {@code inputTokens}
 * counts every input token, cache reads and cache writes included (the OpenAI and OpenTelemetry
 * convention; Anthropic's uncached count is converted to it when its reports are read).
 *
 * @param cacheWriteTokens input tokens written to the provider's prompt cache, all lifetimes
 * @param cacheWrite1hTokens the part of {@code cacheWriteTokens} written with a one-hour lifetime
 *     (Anthropic charges more for those than for five-minute writes)
 * @param requests how many requests these tokens are for (at least 1); the price tier is chosen
 *     from the input per request
 * @param batch whether the requests went through a batch API
 */
public record TokenUsage(
    long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, long cacheWrite1hTokens, long requests, boolean batch) {

  public TokenUsage {
    if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0 || cacheWrite1hTokens < 0) {
      throw new InvalidInputException("token counts cannot be negative: " + describe(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens));
    }
    if (cacheReadTokens + cacheWriteTokens > inputTokens) {
      throw new InvalidInputException(
          "cache reads and writes (" + cacheReadTokens + " + " + cacheWriteTokens + ") exceed the input tokens (" + inputTokens
              + "); input tokens must count every input token, cached ones included");
    }
    if (cacheWrite1hTokens > cacheWriteTokens) {
      throw new InvalidInputException("one-hour cache writes (" + cacheWrite1hTokens + ") exceed all cache writes (" + cacheWriteTokens + ")");
    }
    requests = Math.max(1, requests);
  }

  /** One request without caching or batch. */
  public static TokenUsage of(long inputTokens, long outputTokens) {
    return new TokenUsage(inputTokens, outputTokens, 0, 0, 0, 1, false);
  }

  /** One request with cache reads, in the OpenAI convention (cached tokens counted in the input). */
  public static TokenUsage cached(long inputTokens, long outputTokens, long cacheReadTokens) {
    return new TokenUsage(inputTokens, outputTokens, cacheReadTokens, 0, 0, 1, false);
  }

  /** The same tokens sent through a batch API. */
  public TokenUsage asBatch() {
    return new TokenUsage(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, cacheWrite1hTokens, requests, true);
  }

  /** Input tokens neither read from nor written to the cache. */
  public long uncachedInputTokens() {
    return inputTokens - cacheReadTokens - cacheWriteTokens;
  }

  private static String describe(long in, long out, long read, long write) {
    return "input " + in + ", output " + out + ", cache read " + read + ", cache write " + write;
  }
}
