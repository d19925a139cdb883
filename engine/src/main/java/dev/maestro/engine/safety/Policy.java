package dev.maestro.engine.safety;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.tool.RiskLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A safety policy: which calls it matches (agents, tool name patterns, argument predicates) and
 * what it sets for them (risk, action, approvers, approval window). Validated on construction: a
 * policy that cannot mean anything, or contradicts itself, is refused with the reason.
 *
 * <pre>{@code
 * id: prod-sql-writes
 * match: {agents: ["*"], tools: ["run_sql"], arguments: [{path: /datasource, equals: prod}]}
 * set: {risk: critical, action: require_approval, approvers: 2, approval_window: 30m}
 * }</pre>
 */
public record Policy(String id, String description, Match match, Effect set) {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
  static final Duration MAX_WINDOW = Duration.ofDays(30);

  /** Which calls: every list is "any of", an empty or absent one matches all; argument predicates must all hold. */
  public record Match(List<String> agents, List<String> tools, List<ArgumentPredicate> arguments) {
    public Match {
      agents = agents == null ? List.of() : List.copyOf(agents);
      tools = tools == null ? List.of() : List.copyOf(tools);
      arguments = arguments == null ? List.of() : List.copyOf(arguments);
    }
  }

  /**
   * A condition on one argument, found by JSON Pointer ({@code /url}, {@code /headers/Accept}):
   * exactly one of equals, contains (text contains), matches (regular expression, whole value) or
   * exists.
   */
  public record ArgumentPredicate(String path, String equals, String contains, String matches, Boolean exists) {}

  /**
   * What a matching policy sets; absent fields are left to other policies or the defaults.
   *
   * @param rateLimit at most so many matching calls per agent and tool in a sliding window
   * @param quota limits on the matching agents' runs (a quota policy matches agents only)
   */
  public record Effect(RiskLevel risk, Action action, Integer approvers, String approvalWindow, RateLimit rateLimit, Quota quota) {}

  /** At most {@code calls} calls in any {@code window} (e.g. {@code 1m}, {@code 1h}), counted per agent and tool. */
  public record RateLimit(Integer calls, String window) {}

  /**
   * Limits on an agent's runs: how many may be unfinished at once, and its tokens and cost (USD) per
   * calendar day (UTC), counted over the runs created that day.
   */
  public record Quota(Integer concurrentRuns, Long tokensPerDay, java.math.BigDecimal costPerDay) {}

  public Policy {
    if (id == null || !ID.matcher(id).matches()) {
      throw invalid(id, "'id' must be 1-64 lower-case letters, digits, '.', '-' or '_'");
    }
    description = description == null ? "" : description;
    match = match == null ? new Match(null, null, null) : match;
    if (set == null || (set.risk() == null && set.action() == null && set.approvers() == null && set.approvalWindow() == null
        && set.rateLimit() == null && set.quota() == null)) {
      throw invalid(id, "it sets nothing; give 'set' with a risk, an action, approvers, an approval_window, a rate_limit or a quota");
    }
    if (set.rateLimit() != null) {
      RateLimit r = set.rateLimit();
      if (r.calls() == null || r.calls() < 1) {
        throw invalid(id, "rate_limit.calls is " + r.calls() + "; give the number of calls allowed per window, at least 1");
      }
      if (r.window() == null) {
        throw invalid(id, "rate_limit has no window; give one such as 1m, 1h or 1d");
      }
      Duration w = duration(id, r.window(), "rate_limit.window");
      if (w.isZero() || w.isNegative() || w.compareTo(Duration.ofDays(1)) > 0) {
        throw invalid(id, "rate_limit.window " + r.window() + " must be more than zero and at most 1d");
      }
    }
    if (set.quota() != null) {
      Quota q = set.quota();
      if (q.concurrentRuns() == null && q.tokensPerDay() == null && q.costPerDay() == null) {
        throw invalid(id, "its quota sets nothing; give concurrent_runs, tokens_per_day or cost_per_day");
      }
      if ((q.concurrentRuns() != null && q.concurrentRuns() < 1) || (q.tokensPerDay() != null && q.tokensPerDay() < 1)
          || (q.costPerDay() != null && q.costPerDay().signum() <= 0)) {
        throw invalid(id, "quota limits must be more than zero (to stop an agent, pause it instead)");
      }
      if (match != null && (!match.tools().isEmpty() || !match.arguments().isEmpty())) {
        throw invalid(id, "a quota counts an agent's runs, not particular tool calls; drop match.tools and match.arguments,"
            + " or put the quota in a policy of its own");
      }
    }
    for (String t : match.tools()) {
      if (t == null || t.isBlank()) {
        throw invalid(id, "match.tools holds an empty pattern");
      }
    }
    for (String a : match.agents()) {
      if (a == null || a.isBlank()) {
        throw invalid(id, "match.agents holds an empty pattern");
      }
    }
    for (ArgumentPredicate p : match.arguments()) {
      check(id, p);
    }
    Action action = set.action();
    if (set.approvers() != null && set.approvers() < 1) {
      throw invalid(id, "approvers is " + set.approvers() + "; it must be at least 1");
    }
    if (set.approvers() != null && set.approvers() > 10) {
      throw invalid(id, "approvers is " + set.approvers() + "; at most 10 people can be required");
    }
    if ((set.approvers() != null || set.approvalWindow() != null) && action != null && action != Action.REQUIRE_APPROVAL) {
      throw invalid(id, "it sets approvers or an approval_window but its action is " + action.wire()
          + ", which asks nobody; set action: require_approval or drop them");
    }
    if (set.risk() == RiskLevel.CRITICAL && (action == Action.ALLOW || action == Action.LOG)) {
      throw invalid(id, "it sets risk critical but action " + action.wire()
          + ": critical calls need two approvers or are blocked; use require_approval or block");
    }
    if (set.risk() == RiskLevel.CRITICAL && set.approvers() != null && set.approvers() < 2) {
      throw invalid(id, "it sets risk critical with " + set.approvers() + " approver; critical calls need two different people");
    }
    if (set.approvalWindow() != null) {
      Duration window = window(id, set.approvalWindow());
      if (window.isZero() || window.isNegative() || window.compareTo(MAX_WINDOW) > 0) {
        throw invalid(id, "approval_window " + set.approvalWindow() + " must be more than zero and at most 30 days");
      }
    }
  }

  /** The approval window as a duration, or null when the policy sets none. */
  Duration approvalWindowDuration() {
    return set.approvalWindow() == null ? null : window(id, set.approvalWindow());
  }

  private static Duration window(String id, String text) {
    return duration(id, text, "approval_window");
  }

  private static Duration duration(String id, String text, String field) {
    try {
      return dev.maestro.engine.agent.Limits.parseDuration(text, field);
    } catch (InvalidInputException e) {
      throw invalid(id, e.getMessage());
    }
  }

  private static void check(String id, ArgumentPredicate p) {
    if (p == null || p.path() == null || !p.path().startsWith("/")) {
      throw invalid(id, "every argument predicate needs a 'path' in JSON Pointer form, such as /url or /headers/Accept");
    }
    int conditions = (p.equals() == null ? 0 : 1) + (p.contains() == null ? 0 : 1) + (p.matches() == null ? 0 : 1) + (p.exists() == null ? 0 : 1);
    if (conditions != 1) {
      throw invalid(id, "the predicate on " + p.path() + " has " + conditions + " conditions; give exactly one of equals, contains, matches or exists");
    }
    if (p.matches() != null) {
      try {
        Pattern.compile(p.matches());
      } catch (PatternSyntaxException e) {
        throw invalid(id, "the predicate on " + p.path() + " has an invalid regular expression '" + p.matches() + "': " + e.getDescription());
      }
    }
  }

  private static InvalidInputException invalid(String id, String why) {
    return new InvalidInputException("policy '" + id + "' is refused: " + why);
  }

  /** A policy ready to match quickly: patterns compiled once. */
  static final class Compiled {
    final Policy policy;
    private final List<Glob> agents = new ArrayList<>();
    private final List<Glob> tools = new ArrayList<>();
    private final List<ArgumentPredicate> predicates;
    private final List<Pattern> regexes = new ArrayList<>();
    final Duration window;
    final Duration rateWindow;

    Compiled(Policy policy) {
      this.policy = policy;
      policy.match().agents().forEach(a -> agents.add(Glob.of(a)));
      policy.match().tools().forEach(t -> tools.add(Glob.of(t)));
      this.predicates = policy.match().arguments();
      predicates.forEach(p -> regexes.add(p.matches() == null ? null : Pattern.compile(p.matches())));
      this.window = policy.approvalWindowDuration();
      this.rateWindow = policy.set().rateLimit() == null ? null : duration(policy.id(), policy.set().rateLimit().window(), "rate_limit.window");
    }

    boolean matchesAgent(String agentId) {
      return anyMatch(agents, agentId);
    }

    boolean matches(String agentId, String tool, JsonNode args) {
      if (!anyMatch(agents, agentId) || !anyMatch(tools, tool)) {
        return false;
      }
      for (int i = 0; i < predicates.size(); i++) {
        ArgumentPredicate p = predicates.get(i);
        JsonNode v = args.at(p.path());
        boolean present = !v.isMissingNode() && !v.isNull();
        String text = !present ? null : v.isValueNode() ? v.asText() : v.toString();
        boolean holds = p.exists() != null ? present == p.exists()
            : present && (p.equals() != null ? p.equals().equals(text)
                : p.contains() != null ? text.contains(p.contains())
                : regexes.get(i).matcher(text).matches());
        if (!holds) {
          return false;
        }
      }
      return true;
    }

    private static boolean anyMatch(List<Glob> patterns, String value) {
      if (patterns.isEmpty()) {
        return true;
      }
      String v = Objects.requireNonNullElse(value, "");
      for (Glob g : patterns) {
        if (g.matches(v)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * A name pattern: {@code *} any run of characters, {@code ?} one, everything else literal. The
   * common shapes (a plain name, {@code *}, {@code prefix*}) are compared without a regular expression.
   */
  record Glob(String literal, String prefix, Pattern regex) {
    static Glob of(String glob) {
      if (glob.equals("*")) {
        return new Glob(null, "", null);
      }
      int star = glob.indexOf('*');
      if (glob.indexOf('?') < 0 && star < 0) {
        return new Glob(glob, null, null);
      }
      if (glob.indexOf('?') < 0 && star == glob.length() - 1) {
        return new Glob(null, glob.substring(0, star), null);
      }
      var sb = new StringBuilder();
      for (char c : glob.toCharArray()) {
        switch (c) {
          case '*' -> sb.append(".*");
          case '?' -> sb.append('.');
          default -> sb.append(Pattern.quote(String.valueOf(c)));
        }
      }
      return new Glob(null, null, Pattern.compile(sb.toString()));
    }

    boolean matches(String value) {
      if (literal != null) {
        return literal.equals(value);
      }
      if (prefix != null) {
        return value.startsWith(prefix);
      }
      return regex.matcher(value).matches();
    }
  }
}
