package dev.maestro.engine.safety;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.ConflictException;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Classifies every tool call: its risk (LOW to CRITICAL) from the tool's default, the built-in
 * argument rules and the policies in force, and the action that follows (ALLOW, LOG,
 * REQUIRE_APPROVAL, BLOCK). Immutable and thread-safe; a new set of policies is a new engine.
 *
 * <p>Without a policy saying otherwise the action follows the risk: LOW allows, MEDIUM logs, HIGH
 * needs one approver, CRITICAL two different ones. When several policies match, the strictest
 * action wins and names its policy; a risk set by policies replaces the rules' (the highest such),
 * so a policy can lower the risk of calls it knows are safe; a block by a built-in rule (a file
 * write outside the working directory) cannot be lifted.
 */
public final class SafetyEngine {
  public static final Duration DEFAULT_APPROVAL_WINDOW = Duration.ofHours(1);

  private final SafetySettings settings;
  private final List<Policy.Compiled> policies;

  /**
   * @throws ConflictException if two policies have the same id
   */
  public SafetyEngine(SafetySettings settings, List<Policy> policies) {
    this.settings = settings == null ? SafetySettings.DEFAULT : settings;
    var ids = new HashSet<String>();
    var compiled = new ArrayList<Policy.Compiled>();
    for (Policy p : policies) {
      if (!ids.add(p.id())) {
        throw new ConflictException("two policies have the id '" + p.id() + "'");
      }
      compiled.add(new Policy.Compiled(p));
    }
    this.policies = List.copyOf(compiled);
  }

  /** An engine with no policies: the built-in rules and the defaults only. */
  public static SafetyEngine defaults() {
    return DEFAULTS;
  }

  private static final SafetyEngine DEFAULTS = new SafetyEngine(SafetySettings.DEFAULT, List.of());

  public Decision decide(String agentId, Tool tool, JsonNode arguments, Path workdir) {
    RiskLevel risk = tool.spec().risk();
    var reasons = new ArrayList<String>();
    Action forced = null;
    for (ArgumentRules.Finding f : ArgumentRules.apply(tool, arguments, workdir, settings)) {
      risk = max(risk, f.risk());
      reasons.add(f.reason());
      if (f.forced() != null) {
        forced = forced == null ? f.forced() : forced.max(f.forced());
      }
    }
    RiskLevel policyRisk = null;
    Action action = null;
    String decidedBy = null;
    int approvers = 0;
    Duration window = null;
    List<Decision.RateLimit> limits = null;
    for (Policy.Compiled c : policies) {
      if (!c.matches(agentId, tool.spec().name(), arguments)) {
        continue;
      }
      if (c.rateWindow != null) {
        limits = limits == null ? new ArrayList<>() : limits;
        limits.add(new Decision.RateLimit(c.policy.id(), c.policy.set().rateLimit().calls(), c.rateWindow));
      }
      Policy.Effect set = c.policy.set();
      if (set.risk() != null) {
        policyRisk = policyRisk == null ? set.risk() : max(policyRisk, set.risk());
        reasons.add("policy " + c.policy.id() + " sets risk " + set.risk().wire());
        decidedBy = decidedBy == null ? c.policy.id() : decidedBy;
      }
      if (set.action() != null && (action == null || set.action().ordinal() > action.ordinal())) {
        action = set.action();
        decidedBy = c.policy.id();
      }
      if (set.approvers() != null) {
        approvers = Math.max(approvers, set.approvers());
      }
      if (c.window != null && (window == null || c.window.compareTo(window) < 0)) {
        window = c.window;
      }
    }
    if (policyRisk != null) {
      risk = policyRisk;
    }
    if (action == null) {
      action = byRisk(risk);
      if (decidedBy == null) {
        decidedBy = "default";
      }
    }
    if (forced != null) {
      action = forced.max(action);
      decidedBy = "builtin";
    }
    if (action == Action.REQUIRE_APPROVAL) {
      approvers = Math.max(approvers, risk == RiskLevel.CRITICAL ? 2 : 1);
      window = window == null ? DEFAULT_APPROVAL_WINDOW : window;
    } else {
      approvers = 0;
      window = null;
    }
    String reason = reasons.isEmpty() ? tool.spec().name() + " is " + tool.spec().risk().wire() + " risk by default" : String.join("; ", reasons);
    return new Decision(risk, action, approvers, window, decidedBy, reason, limits);
  }

  /** The policies whose agent patterns take in this agent (for any of its tool calls, or its quotas), in order. */
  public List<Policy> policiesFor(String agentId) {
    var found = new ArrayList<Policy>();
    for (Policy.Compiled c : policies) {
      if (c.matchesAgent(agentId)) {
        found.add(c.policy);
      }
    }
    return found;
  }

  /** The quotas in force for an agent, one per policy that sets one and matches it. */
  public List<AgentQuota> quotas(String agentId) {
    List<AgentQuota> quotas = List.of();
    for (Policy.Compiled c : policies) {
      Policy.Quota q = c.policy.set().quota();
      if (q != null && c.matchesAgent(agentId)) {
        quotas = quotas.isEmpty() ? new ArrayList<>() : quotas;
        quotas.add(new AgentQuota(c.policy.id(), q.concurrentRuns(), q.tokensPerDay(), q.costPerDay()));
      }
    }
    return quotas;
  }

  /** A quota of a policy: null fields are not limited. */
  public record AgentQuota(String policy, Integer concurrentRuns, Long tokensPerDay, java.math.BigDecimal costPerDay) {}

  static Action byRisk(RiskLevel risk) {
    return switch (risk) {
      case LOW -> Action.ALLOW;
      case MEDIUM -> Action.LOG;
      case HIGH, CRITICAL -> Action.REQUIRE_APPROVAL;
    };
  }

  private static RiskLevel max(RiskLevel a, RiskLevel b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }
}
