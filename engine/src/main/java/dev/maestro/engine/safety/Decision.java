package dev.maestro.engine.safety;

import dev.maestro.engine.tool.RiskLevel;
import java.time.Duration;
import java.util.List;

/**
 * The safety engine's verdict on one tool call.
 *
 * @param approvers how many different people must approve (0 unless the action is {@link Action#REQUIRE_APPROVAL})
 * @param approvalWindow how long approvers have before the request expires (a rejection)
 * @param policy the id of the policy that decided the action, or {@code default} for the risk's default
 * @param reason why, in words a person reads in the trace and the audit trail
 * @param rateLimits the rate limits of the policies that matched, which the caller enforces ({@link RateLimiter})
 */
public record Decision(
    RiskLevel risk, Action action, int approvers, Duration approvalWindow, String policy, String reason, List<RateLimit> rateLimits) {

  public Decision {
    rateLimits = rateLimits == null ? List.of() : List.copyOf(rateLimits);
  }

  /** A rate limit of a policy that matched the call: at most {@code calls} in any {@code window}, per agent and tool. */
  public record RateLimit(String policy, int calls, Duration window) {}
}
