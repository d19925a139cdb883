package dev.maestro.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.agent.Agent;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.agent.AgentSpecs;
import dev.maestro.engine.agent.AgentStatus;
import dev.maestro.engine.auth.Permission;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.memory.MemorySettings;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunAggregate;
import dev.maestro.engine.run.RunHandle;
import dev.maestro.engine.run.RunOptions;
import dev.maestro.engine.run.RunQuery;
import dev.maestro.engine.run.RunStatus;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.safety.Policy;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Agents in the console: the list with a week of figures each, an agent's page (its configuration,
 * its runs, a form to start one, its memory and learning from {@link ConsoleMemory}), the form that
 * creates or edits an agent (as YAML, or field by field), and enabling, pausing and deleting.
 */
final class ConsoleAgents {
  static final Duration WEEK = Duration.ofDays(7);
  private final Console console;

  ConsoleAgents(Console console) {
    this.console = console;
  }

  /** A week of an agent's runs. */
  record Week(long runs, long completed, long failed, String successRate, String p95, long tokens, String cost) {
    static final Week NONE = new Week(0, 0, 0, "—", "—", 0, "—");
  }

  record AgentRow(Agent agent, Week week) {}

  record AgentsPage(Console.Chrome chrome, List<AgentRow> agents) {}

  record AgentPage(Console.Chrome chrome, Agent agent, String yaml, Week week, List<ConsoleRuns.RunRow> runs, int offset, Integer previous,
      Integer next, Set<String> missingTools, ConsoleMemory.Learned learned, String feedback, List<Policy> policies,
      MemorySettings platformMemory) {

    /** How the agent's runs use memory, and which of it the agent sets itself. */
    String memory() {
      if (platformMemory == null) {
        return "off: runs on this server do not use memory";
      }
      MemorySettings m = platformMemory.of(agent.spec());
      String recall = m.recallLimit() == 0 ? "recalls nothing" : "recalls up to " + m.recallLimit() + " memories (" + m.tokenBudget() + " tokens)";
      String own = agent.spec().memory() == null ? "the platform's settings" : "set by the agent where it says so, else the platform's";
      return recall + " · " + (m.episodic() ? "remembers each run" : "does not remember its runs") + " · " + own;
    }

    /** What a policy sets and for which tools, in a few words. */
    static String sets(Policy p) {
      var parts = new java.util.ArrayList<String>();
      var set = p.set();
      if (set.action() != null) {
        parts.add(set.action().wire());
      }
      if (set.risk() != null) {
        parts.add(set.risk().wire() + " risk");
      }
      if (set.approvers() != null) {
        parts.add(set.approvers() + " approvers");
      }
      if (set.rateLimit() != null) {
        parts.add(set.rateLimit().calls() + " calls/" + set.rateLimit().window());
      }
      if (set.quota() != null) {
        parts.add("quota");
      }
      String tools = p.match().tools().isEmpty() ? "any tool" : String.join(", ", p.match().tools());
      return String.join(" · ", parts) + " · " + tools;
    }
  }

  /**
   * The create or edit form: the agent as YAML, and the same as fields (the form sends one or the other).
   *
   * @param id the agent edited, or null for a new one
   */
  record AgentForm(Console.Chrome chrome, String id, String yaml, AgentSpec spec, List<String> tools) {
    boolean editing() {
      return id != null;
    }

    boolean has(String tool) {
      return spec != null && spec.tools().contains(tool);
    }

    String field(String name) {
      if (spec == null) {
        return "";
      }
      return switch (name) {
        case "id" -> spec.id();
        case "name" -> spec.name();
        case "description" -> spec.description();
        case "model" -> spec.model() == null ? "" : spec.model();
        case "instructions" -> spec.instructions();
        case "max_steps" -> String.valueOf(spec.limits().maxSteps());
        case "token_budget" -> spec.limits().tokenBudget() == null ? "" : spec.limits().tokenBudget().toString();
        case "timeout" -> spec.limits().timeout() == null ? "" : DurationText.format(spec.limits().timeout());
        case "recall_limit" -> spec.memory() == null || spec.memory().recallLimit() == null ? "" : spec.memory().recallLimit().toString();
        case "memory_token_budget" -> spec.memory() == null || spec.memory().tokenBudget() == null ? "" : spec.memory().tokenBudget().toString();
        case "episodic" -> spec.memory() == null || spec.memory().episodic() == null ? "" : spec.memory().episodic().toString();
        default -> throw new IllegalArgumentException(name);
      };
    }
  }

  /** An example for the new-agent form: a replayed model, so it runs without a provider. */
  static final String EXAMPLE = """
      id: my-agent
      name: My agent
      description: What it is for
      model: replay:/path/to/transcript.jsonl   # or openai:gpt-4o-mini, anthropic:..., ollama:...
      instructions: |
        You answer questions about our systems. Be brief.
      tools: [read_file]
      limits:
        max_steps: 10
        timeout: 5m
      """;

  List<Route> routes() {
    // The fixed path /maestro/agents/new is registered before /maestro/agents/{id}.
    return List.of(
        Console.page("/maestro/agents", "Agents, with a week of their runs", this::list),
        Console.page("/maestro/agents/new", "The form that creates an agent", Permission.OPERATE, this::newForm),
        Console.action("/maestro/agents", "Create an agent from YAML or from the form's fields", Permission.OPERATE, this::create),
        Console.page("/maestro/agents/{id}", "An agent: configuration, runs, start a run, memory, feedback and insights", this::show),
        Console.page("/maestro/agents/{id}/edit", "The form that edits an agent", Permission.OPERATE, this::editForm),
        Console.action("/maestro/agents/{id}", "Replace an agent's configuration", Permission.OPERATE, this::replace),
        Console.action("/maestro/agents/{id}/enable", "Enable an agent", Permission.OPERATE, ctx -> move(ctx, "enable")),
        Console.action("/maestro/agents/{id}/pause", "Pause an agent", Permission.OPERATE, ctx -> move(ctx, "pause")),
        Console.action("/maestro/agents/{id}/delete", "Delete an agent (its runs are kept)", Permission.OPERATE, ctx -> move(ctx, "delete")),
        Console.action("/maestro/agents/{id}/runs", "Start a run of the agent", Permission.OPERATE, this::start));
  }

  private void list(Context ctx) {
    Services s = Auth.services(ctx);
    Instant now = console.clock.instant();
    Map<String, Week> weeks = weeks(s, now);
    List<AgentRow> rows = s.agents().list().stream()
        .filter(a -> a.status() != AgentStatus.DELETED)
        .sorted(Comparator.comparing(Agent::id))
        .map(a -> new AgentRow(a, weeks.getOrDefault(a.id(), Week.NONE)))
        .toList();
    console.render(ctx, "agents.jte", new AgentsPage(console.chrome(ctx, "agents", "Agents"), rows));
  }

  private void show(Context ctx) {
    Services s = Auth.services(ctx);
    Agent agent = s.agents().get(ctx.pathParam("id"));
    Instant now = console.clock.instant();
    int offset = Params.integer(ctx, "offset", 0, 0, 1_000_000);
    List<Run> runs = s.runs().list(new RunQuery(agent.id(), null, null, null, ConsoleRuns.PAGE, offset));
    Costs costs = new Costs(s.pricing());
    var missing = new TreeSet<String>();
    for (String tool : agent.spec().tools()) {
      if (s.tools().find(tool).isEmpty()) {
        missing.add(tool);
      }
    }
    console.render(ctx, "agent.jte", new AgentPage(console.chrome(ctx, "agents", agent.spec().name()), agent, yaml(agent.spec()),
        weeks(s, now).getOrDefault(agent.id(), Week.NONE), runs.stream().map(r -> ConsoleRuns.RunRow.of(r, costs, now)).toList(), offset,
        offset == 0 ? null : Math.max(0, offset - ConsoleRuns.PAGE), runs.size() == ConsoleRuns.PAGE ? offset + ConsoleRuns.PAGE : null,
        missing, ConsoleMemory.learned(ctx, s, agent.id()), ctx.queryParam("feedback"), s.safety().get().policiesFor(agent.id()),
        s.engine().memorySettings()));
  }

  private void newForm(Context ctx) {
    console.render(ctx, "agent_form.jte", new AgentForm(console.chrome(ctx, "agents", "New agent"), null, EXAMPLE, null, toolNames(ctx)));
  }

  private void editForm(Context ctx) {
    Agent agent = Auth.services(ctx).agents().get(ctx.pathParam("id"));
    console.render(ctx, "agent_form.jte", new AgentForm(console.chrome(ctx, "agents", "Edit " + agent.spec().name()), agent.id(),
        yaml(agent.spec()), agent.spec(), toolNames(ctx)));
  }

  private void create(Context ctx) {
    Services s = Auth.services(ctx);
    AgentSpec spec = spec(ctx);
    if (s.agents().list().stream().anyMatch(a -> a.id().equals(spec.id()) && a.status() != AgentStatus.DELETED)) {
      throw new ConflictException("an agent with id '" + spec.id() + "' already exists; edit it from its page, or choose another id");
    }
    Agent agent = s.agents().create(spec);
    Console.redirect(ctx, "/maestro/agents/" + agent.id());
  }

  private void replace(Context ctx) {
    Services s = Auth.services(ctx);
    String id = ctx.pathParam("id");
    AgentSpec spec = spec(ctx);
    if (!spec.id().equals(id)) {
      throw new InvalidInputException("the configuration's id is '" + spec.id() + "' but this is agent '" + id
          + "'; an agent's id cannot change: create a new agent instead");
    }
    s.agents().get(id);
    s.agents().create(spec);
    Console.redirect(ctx, "/maestro/agents/" + id);
  }

  private void move(Context ctx, String to) {
    Services s = Auth.services(ctx);
    String id = ctx.pathParam("id");
    switch (to) {
      case "enable" -> s.agents().enable(id);
      case "pause" -> s.agents().pause(id);
      case "delete" -> s.agents().delete(id);
      default -> throw new IllegalArgumentException(to);
    }
    Console.redirect(ctx, to.equals("delete") ? "/maestro/agents" : "/maestro/agents/" + id);
  }

  private void start(Context ctx) {
    Services s = Auth.services(ctx);
    Agent agent = s.agents().runnable(ctx.pathParam("id"));
    String input = ctx.formParam("input");
    if (input == null || input.isBlank()) {
      throw new InvalidInputException("say what the agent should do in the input");
    }
    String model = ctx.formParam("model");
    RunHandle handle = s.engine().start(agent.spec(), input.strip(), new RunOptions(model == null || model.isBlank() ? null : model.strip(),
        s.workdir()));
    Console.redirect(ctx, "/maestro/runs/" + handle.runId());
  }

  /** The spec the form sent: its YAML, or its fields. */
  private static AgentSpec spec(Context ctx) {
    if ("fields".equals(ctx.formParam("mode"))) {
      ObjectNode node = Json.MAPPER.createObjectNode();
      for (String field : List.of("id", "name", "description", "model", "instructions")) {
        String value = ctx.formParam(field);
        if (value != null && !value.isBlank()) {
          node.put(field, value.strip());
        }
      }
      var tools = node.putArray("tools");
      ctx.formParams("tools").forEach(tools::add);
      ObjectNode limits = node.putObject("limits");
      putNumber(ctx, "max_steps", limits, "max_steps");
      putNumber(ctx, "token_budget", limits, "token_budget");
      String timeout = ctx.formParam("timeout");
      if (timeout != null && !timeout.isBlank()) {
        limits.put("timeout", timeout.strip());
      }
      // Memory fields left empty take the platform's settings.
      ObjectNode memory = Json.MAPPER.createObjectNode();
      putNumber(ctx, "recall_limit", memory, "recall_limit");
      putNumber(ctx, "memory_token_budget", memory, "token_budget");
      String episodic = ctx.formParam("episodic");
      if (episodic != null && !episodic.isBlank()) {
        memory.put("episodic", Boolean.parseBoolean(episodic));
      }
      if (!memory.isEmpty()) {
        node.set("memory", memory);
      }
      return AgentSpecs.parse(Json.write(node), "the form");
    }
    String yaml = ctx.formParam("yaml");
    if (yaml == null || yaml.isBlank()) {
      throw new InvalidInputException("the YAML is empty; an agent needs at least 'id' and 'model'");
    }
    return AgentSpecs.parse(yaml, "the YAML");
  }

  /** A whole-number form field, if filled in, into the spec's JSON under {@code name}. */
  private static void putNumber(Context ctx, String field, ObjectNode into, String name) {
    Long value = number(ctx, field);
    if (value != null) {
      into.put(name, value);
    }
  }

  private static Long number(Context ctx, String field) {
    String text = ctx.formParam(field);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Long.valueOf(text.strip());
    } catch (NumberFormatException e) {
      throw new InvalidInputException("'" + field.replace('_', ' ') + "' must be a whole number, not '" + text + "'");
    }
  }

  private static List<String> toolNames(Context ctx) {
    return Auth.services(ctx).tools().all().stream().map(Tool::spec).map(t -> t.name()).sorted().toList();
  }

  static String yaml(AgentSpec spec) {
    try {
      return Json.YAML.writeValueAsString(spec).replaceFirst("^---\\n", "");
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A week of runs per agent, from one grouped query. */
  private static Map<String, Week> weeks(Services s, Instant now) {
    Instant since = now.minus(WEEK);
    Instant end = now.plusMillis(1);
    Costs costs = new Costs(s.pricing());
    List<RunAggregate> byAgentModelStatus;
    List<RunAggregate> byAgent;
    try (var queries = new Concurrently()) {
      var a = queries.start(() -> s.runs().aggregate(new dev.maestro.engine.run.RunAggregateQuery(since, end, null, true, true, true)));
      var b = queries.start(() -> s.runs().aggregate(new dev.maestro.engine.run.RunAggregateQuery(since, end, null, true, false, false)));
      byAgentModelStatus = Concurrently.get(a);
      byAgent = Concurrently.get(b);
    }
    var p95 = new HashMap<String, Long>();
    for (RunAggregate a : byAgent) {
      p95.put(a.agentId(), a.finished() == 0 ? null : a.p95Ms());
    }
    var grouped = new HashMap<String, List<RunAggregate>>();
    byAgentModelStatus.forEach(a -> grouped.computeIfAbsent(a.agentId(), k -> new java.util.ArrayList<>()).add(a));
    var weeks = new HashMap<String, Week>();
    grouped.forEach((agent, rows) -> {
      long runs = rows.stream().mapToLong(RunAggregate::runs).sum();
      long completed = rows.stream().filter(a -> a.status() == RunStatus.COMPLETED).mapToLong(RunAggregate::runs).sum();
      long failed = rows.stream().filter(a -> a.status() == RunStatus.FAILED).mapToLong(RunAggregate::runs).sum();
      long cancelled = rows.stream().filter(a -> a.status() == RunStatus.CANCELLED).mapToLong(RunAggregate::runs).sum();
      long tokens = rows.stream().mapToLong(RunAggregate::totalTokens).sum();
      Long p = p95.get(agent);
      weeks.put(agent, new Week(runs, completed, failed, ConsoleText.percent(completed, completed + failed + cancelled),
          p == null ? "—" : ConsoleText.ms(p), tokens, costs.of(rows).shown()));
    });
    return weeks;
  }

  /** Durations as the agent files write them. */
  static final class DurationText {
    private DurationText() {}

    static String format(Duration d) {
      long s = d.toSeconds();
      if (s % 3600 == 0) {
        return s / 3600 + "h";
      }
      if (s % 60 == 0) {
        return s / 60 + "m";
      }
      return s + "s";
    }
  }
}
