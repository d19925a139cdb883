package dev.maestro.engine.run;

/**
 * Runs counted together by {@link RunStore#aggregate}: those created in one time bucket (of one
 * agent, of one model, in one status, when the query groups by them; a field not grouped on is null).
 * Durations are from creation to end, in milliseconds, over the finished runs among them (waiting
 * for approval included); percentiles are continuous (interpolated between the nearest two), and 0
 * when none finished.
 *
 * @param bucket start of the time bucket; the query's {@code since} when it has no buckets
 * @param model the runs' model reference; also null for runs without a model (workflows)
 * @param finished how many of them have ended (completed, failed or cancelled)
 */
public record RunAggregate(
    java.time.Instant bucket,
    String agentId,
    String model,
    RunStatus status,
    long runs,
    long finished,
    long inputTokens,
    long outputTokens,
    long cachedTokens,
    long p50Ms,
    long p95Ms,
    long maxMs) {

  public long totalTokens() {
    return inputTokens + outputTokens;
  }
}
