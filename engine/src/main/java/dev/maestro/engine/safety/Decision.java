package dev.maestro.engine.safety;

import dev.maestro.engine.tool.RiskLevel;
import java.time.Duration;

/**
 * The safety engine's verdict on one tool call.
 *
 * @param approvers how many different people must approve (0 unless the action is {@link Action#REQUIRE_APPROVAL})
 * @param approvalWindow how long approvers have before the request expires (a rejection)
 * @param policy the id of the policy that decided the action, or {@code default} for the risk's default
 * @param reason why, in words a person reads in the trace and the audit trail
 */
public record Decision(RiskLevel risk, Action action, int approvers, Duration approvalWindow, String policy, String reason) {}
