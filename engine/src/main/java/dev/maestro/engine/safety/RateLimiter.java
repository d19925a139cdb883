package dev.maestro.engine.safety;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Enforces the rate limits of policies: a sliding log of call times per policy, agent and tool.
 * Counts are kept in this process (an engine per process); they start from zero on restart.
 * Thread-safe; each log holds at most as many times as its limit allows calls.
 */
public final class RateLimiter {
  private record Key(String policy, String agentId, String tool) {}

  /** A call a rate limit refuses: which policy, and why in words for the model and the trace. */
  public record Refusal(String policy, String reason) {}

  private final ConcurrentMap<Key, ArrayDeque<Instant>> logs = new ConcurrentHashMap<>();

  /**
   * Counts a call against every limit if all of them have room for it.
   *
   * @return null when the call may go ahead (and it is counted), else the refusal
   */
  public Refusal tryAcquire(String agentId, String tool, List<Decision.RateLimit> limits, Instant now) {
    if (limits.isEmpty()) {
      return null;
    }
    var held = new java.util.ArrayList<ArrayDeque<Instant>>(limits.size());
    for (Decision.RateLimit limit : limits) {
      ArrayDeque<Instant> log = logs.computeIfAbsent(new Key(limit.policy(), agentId, tool), k -> new ArrayDeque<>());
      synchronized (log) {
        Instant since = now.minus(limit.window());
        while (!log.isEmpty() && !log.peekFirst().isAfter(since)) {
          log.pollFirst();
        }
        if (log.size() >= limit.calls()) {
          Duration wait = Duration.between(now, log.peekFirst().plus(limit.window()));
          return new Refusal(limit.policy(), "rate limit of policy " + limit.policy() + ": agent " + agentId + " may call " + tool + " at most " + limit.calls()
              + " times per " + text(limit.window()) + ", and has; the next call is possible in " + text(wait));
        }
      }
      held.add(log);
    }
    for (ArrayDeque<Instant> log : held) {
      synchronized (log) {
        log.addLast(now);
      }
    }
    return null;
  }

  private static String text(Duration d) {
    long s = Math.max(1, (d.toMillis() + 999) / 1000);
    return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
  }
}
