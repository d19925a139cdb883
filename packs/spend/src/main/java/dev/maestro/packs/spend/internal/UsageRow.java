package dev.maestro.packs.spend.internal;

/**
 * One normalised usage row: a request, or an aggregate of requests when the source only has
 * aggregates. {@code input} counts every input token, cache reads and writes included.
 *
 * @param epochMicros when the request (or the aggregate's period) started
 * @param requests how many requests the row is for; 0 when the source does not say (Anthropic)
 * @param tierInput input tokens of one request, which choose the price tier
 * @param latencyMs -1 when unknown
 * @param promptHash 64-bit hash of the whole prompt, 0 when unknown
 * @param prefixHash hash of the prompt's first {@link Hashes#PREFIX_CHARS} characters, 0 when the
 *     prompt is shorter or unknown
 */
public record UsageRow(
    String file,
    long line,
    long epochMicros,
    String provider,
    String model,
    long requests,
    long input,
    long output,
    long cacheRead,
    long cacheWrite,
    long cacheWrite1h,
    long tierInput,
    long latencyMs,
    boolean error,
    boolean batch,
    String user,
    String project,
    String tag,
    String session,
    long promptHash,
    long prefixHash) {}
