package dev.maestro.engine.run;

/**
 * How calls of one tool ended within a window ({@link RunStore#toolOutcomes}): completed, or failed
 * (an error, a refusal by the safety engine, a rejection, or an unknown outcome after a crash).
 *
 * @param p95Ms continuous 95th percentile of the calls' durations, in milliseconds
 * @param maxMs the longest call, in milliseconds
 */
public record ToolOutcome(String tool, long completed, long failed, long p95Ms, long maxMs) {
  public long calls() {
    return completed + failed;
  }
}
