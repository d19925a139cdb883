package dev.maestro.engine.run;

/**
 * Tokens used by an agent's runs of one model since some instant: what token and cost quotas count.
 *
 * @param model the runs' model reference; null for workflow runs without a model
 */
public record UsageTotal(String model, long runs, long inputTokens, long outputTokens, long cachedTokens) {}
