package dev.maestro.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.auth.ApiToken;
import dev.maestro.engine.auth.IssuedToken;
import dev.maestro.engine.auth.Permission;
import dev.maestro.engine.auth.Role;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.safety.Policies;
import dev.maestro.engine.safety.Policy;
import dev.maestro.engine.safety.StoredPolicy;
import dev.maestro.engine.tool.Tool;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Governance: the safety policies in force (view, edit, validate, with their versions), the risk
 * levels and what each means, the roles and their permissions, and, for admins, the workspace's
 * API tokens (create, revoke).
 */
final class ConsoleGovernance {
  private final Console console;
  private final Workspaces workspaces;

  ConsoleGovernance(Console console, Workspaces workspaces) {
    this.console = console;
    this.workspaces = workspaces;
  }

  /** A policy in the list, with what it matches and what it sets, in words. */
  record PolicyRow(StoredPolicy stored, String matches, String sets) {}

  /** What a risk level leads to when no policy says otherwise, and the tools that have it by default. */
  record RiskRow(String risk, String action, String meaning, List<String> tools) {}

  /** One role and, per permission in order, whether it has it. */
  record RoleRow(String role, List<Boolean> allows) {}

  /**
   * The tokens section.
   *
   * @param issued a token just created, whose secret is shown this once; or null
   */
  record Tokens(List<ApiToken> tokens, IssuedToken issued, List<String> roles) {}

  record GovernancePage(Console.Chrome chrome, List<PolicyRow> policies, List<RiskRow> risks, List<String> permissions, List<RoleRow> roles,
      Tokens tokens) {}

  /** A policy's page: its current version as YAML, its history, and (for admins) the form to change it. */
  record PolicyPage(Console.Chrome chrome, StoredPolicy current, String yaml, List<StoredPolicy> history) {
    boolean creating() {
      return current == null;
    }
  }

  /** The outcome of checking a policy document. */
  record Check(boolean ok, String message, List<PolicyRow> policies) {}

  static final String EXAMPLE = """
      id: prod-sql-writes
      description: writes to production need two people, within 30 minutes
      match: {agents: ["*"], tools: [run_sql], arguments: [{path: /datasource, equals: prod}]}
      set: {risk: critical, action: require_approval, approvers: 2, approval_window: 30m}
      """;

  List<Route> routes() {
    return List.of(
        Console.page("/maestro/governance", "Policies, risk levels, roles and tokens", this::page),
        Console.page("/maestro/governance/policies/new", "The form that adds a policy", Permission.ADMINISTER, this::newPolicy),
        Console.action("/maestro/governance/policies/validate", "Check a policy document without storing it", Permission.READ, this::validate),
        Console.action("/maestro/governance/policies", "Add a policy", Permission.ADMINISTER, this::create),
        Console.page("/maestro/governance/policies/{id}", "A policy: current version, history, edit", this::policy),
        Console.action("/maestro/governance/policies/{id}", "Replace a policy (the version edited is checked)", Permission.ADMINISTER, this::update),
        Console.action("/maestro/governance/policies/{id}/delete", "Delete a policy (its history is kept)", Permission.ADMINISTER, this::delete),
        Console.action("/maestro/governance/tokens", "Create an API token; its secret is shown once", Permission.ADMINISTER, this::createToken),
        Console.action("/maestro/governance/tokens/{id}/revoke", "Revoke an API token", Permission.ADMINISTER, this::revokeToken));
  }

  private void page(Context ctx) {
    Services s = Auth.services(ctx);
    var chrome = console.chrome(ctx, "governance", "Governance");
    List<PolicyRow> policies = s.policies().list().stream().sorted(Comparator.comparing(StoredPolicy::id)).map(ConsoleGovernance::row).toList();
    List<String> permissions = Arrays.stream(Permission.values()).map(p -> p.name().toLowerCase(java.util.Locale.ROOT)).toList();
    List<RoleRow> roles = Arrays.stream(Role.values())
        .map(r -> new RoleRow(r.wire(), Arrays.stream(Permission.values()).map(r::allows).toList())).toList();
    Tokens tokens = chrome.canAdminister() ? tokens(s, null) : null;
    console.render(ctx, "governance.jte", new GovernancePage(chrome, policies, risks(s), permissions, roles, tokens));
  }

  private void newPolicy(Context ctx) {
    String agent = Params.text(ctx, "agent");
    String yaml = agent == null || !agent.matches("[A-Za-z0-9_.-]{1,64}") ? EXAMPLE : """
        id: %s-approvals
        description: calls of %s wait for a person
        match: {agents: [%s], tools: ["*"]}
        set: {action: require_approval, approval_window: 1h}
        """.formatted(agent.toLowerCase(java.util.Locale.ROOT), agent, agent);
    console.render(ctx, "policy.jte", new PolicyPage(console.chrome(ctx, "governance", "New policy"), null, yaml, List.of()));
  }

  private void policy(Context ctx) {
    Services s = Auth.services(ctx);
    String id = ctx.pathParam("id");
    List<StoredPolicy> history = s.policies().history(id);
    StoredPolicy current = s.policies().find(id).orElse(null);
    if (history.isEmpty()) {
      throw new NotFoundException("there is no policy '" + id + "' in this workspace; the governance page lists them");
    }
    String yaml = yaml(current != null ? current.policy() : history.getFirst().policy());
    console.render(ctx, "policy.jte", new PolicyPage(console.chrome(ctx, "governance", "Policy " + id), current, yaml, history));
  }

  private void validate(Context ctx) {
    Check check;
    try {
      List<Policy> policies = Policies.parse(ctx.formParam("policy"), "the policy");
      check = new Check(true, policies.size() == 1 ? "The policy is valid." : "The " + policies.size() + " policies are valid.",
          policies.stream().map(p -> row(new StoredPolicy(p, 0, false, null, null))).toList());
    } catch (InvalidInputException e) {
      check = new Check(false, e.getMessage(), List.of());
    }
    console.render(ctx, "policy_check.jte", check);
  }

  private void create(Context ctx) {
    Services s = Auth.services(ctx);
    StoredPolicy stored = s.policies().create(one(ctx), Auth.principal(ctx).actor());
    Console.redirect(ctx, "/maestro/governance/policies/" + stored.id());
  }

  private void update(Context ctx) {
    Services s = Auth.services(ctx);
    String id = ctx.pathParam("id");
    Policy policy = one(ctx);
    if (!policy.id().equals(id)) {
      throw new InvalidInputException("the document's id is '" + policy.id() + "' but this is policy '" + id
          + "'; a policy's id cannot change: delete it and add a new one");
    }
    s.policies().update(policy, version(ctx), Auth.principal(ctx).actor());
    Console.redirect(ctx, "/maestro/governance/policies/" + id);
  }

  private void delete(Context ctx) {
    Services s = Auth.services(ctx);
    s.policies().delete(ctx.pathParam("id"), version(ctx), Auth.principal(ctx).actor());
    Console.redirect(ctx, "/maestro/governance");
  }

  private void createToken(Context ctx) {
    Services s = Auth.services(ctx);
    String name = ctx.formParam("name");
    String role = ctx.formParam("role");
    if (role == null || role.isBlank()) {
      throw new InvalidInputException("choose the token's role: admin, operator, approver or viewer");
    }
    IssuedToken issued = workspaces.tokens().create(s.workspaceId(), name == null ? null : name.strip(), Role.parse(role),
        Auth.principal(ctx).actor());
    console.render(ctx, "tokens.jte", tokens(s, issued));
  }

  private void revokeToken(Context ctx) {
    Services s = Auth.services(ctx);
    workspaces.tokens().revoke(s.workspaceId(), ctx.pathParam("id"));
    console.render(ctx, "tokens.jte", tokens(s, null));
  }

  private Tokens tokens(Services s, IssuedToken issued) {
    List<ApiToken> tokens = new ArrayList<>(workspaces.tokens().list(s.workspaceId()));
    tokens.sort(Comparator.comparing(ApiToken::live).reversed().thenComparing(ApiToken::createdAt, Comparator.reverseOrder()));
    return new Tokens(tokens, issued, Arrays.stream(Role.values()).map(Role::wire).toList());
  }

  private static Policy one(Context ctx) {
    List<Policy> policies = Policies.parse(ctx.formParam("policy"), "the policy");
    if (policies.size() != 1) {
      throw new InvalidInputException("the document holds " + policies.size() + " policies; add them one at a time");
    }
    return policies.getFirst();
  }

  private static int version(Context ctx) {
    String text = ctx.formParam("version");
    try {
      return Integer.parseInt(text == null ? "" : text.strip());
    } catch (NumberFormatException e) {
      throw new InvalidInputException("the form did not say which version you edited; reload the policy's page and try again");
    }
  }

  static PolicyRow row(StoredPolicy stored) {
    Policy p = stored.policy();
    var matches = new ArrayList<String>();
    matches.add("agents " + (p.match().agents().isEmpty() ? "any" : String.join(", ", p.match().agents())));
    matches.add("tools " + (p.match().tools().isEmpty() ? "any" : String.join(", ", p.match().tools())));
    for (Policy.ArgumentPredicate a : p.match().arguments()) {
      String test = a.equals() != null ? "= " + a.equals() : a.contains() != null ? "contains " + a.contains()
          : a.matches() != null ? "matches " + a.matches() : Boolean.FALSE.equals(a.exists()) ? "absent" : "present";
      matches.add(a.path() + " " + test);
    }
    var sets = new ArrayList<String>();
    Policy.Effect e = p.set();
    if (e.risk() != null) {
      sets.add("risk " + e.risk().wire());
    }
    if (e.action() != null) {
      sets.add(e.action().wire());
    }
    if (e.approvers() != null) {
      sets.add(e.approvers() + " approver" + (e.approvers() == 1 ? "" : "s"));
    }
    if (e.approvalWindow() != null) {
      sets.add("within " + e.approvalWindow());
    }
    if (e.rateLimit() != null) {
      sets.add(e.rateLimit().calls() + " calls per " + e.rateLimit().window());
    }
    if (e.quota() != null) {
      var q = e.quota();
      if (q.concurrentRuns() != null) {
        sets.add(q.concurrentRuns() + " runs at once");
      }
      if (q.tokensPerDay() != null) {
        sets.add(ConsoleText.count(q.tokensPerDay()) + " tokens a day");
      }
      if (q.costPerDay() != null) {
        sets.add("$" + q.costPerDay().toPlainString() + " a day");
      }
    }
    return new PolicyRow(stored, String.join(" · ", matches), String.join(" · ", sets));
  }

  private static List<RiskRow> risks(Services s) {
    List<Tool> tools = s.tools().all();
    return List.of(
        new RiskRow("low", "allow", "runs", names(tools, "low")),
        new RiskRow("medium", "log", "runs, flagged in the trace and the audit trail", names(tools, "medium")),
        new RiskRow("high", "require_approval", "waits for one person", names(tools, "high")),
        new RiskRow("critical", "require_approval", "waits for two different people", names(tools, "critical")));
  }

  private static List<String> names(List<Tool> tools, String risk) {
    return tools.stream().filter(t -> t.spec().risk().wire().equals(risk)).map(t -> t.spec().name()).sorted().toList();
  }

  static String yaml(Policy policy) {
    try {
      return Json.YAML.writeValueAsString(policy).replaceFirst("^---\\n", "");
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
