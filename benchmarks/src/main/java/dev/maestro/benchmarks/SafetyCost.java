package dev.maestro.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.agent.AgentKind;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.agent.Limits;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.model.ReplayChatModel;
import dev.maestro.engine.run.InMemoryRunStore;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEngine;
import dev.maestro.engine.run.RunOptions;
import dev.maestro.engine.run.RunStatus;
import dev.maestro.engine.safety.Policies;
import dev.maestro.engine.safety.Policy;
import dev.maestro.engine.safety.SafetyEngine;
import dev.maestro.engine.safety.SafetySettings;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolRegistry;
import dev.maestro.engine.tool.ToolSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Cost of classifying one tool call: {@link SafetyEngine#decide} over a mix of SQL, HTTP and mail
 * calls, with 100 policies (each matching on agents, tool patterns and argument predicates) against
 * the same calls with no policies (the baseline: built-in rules only). Target: p99 < 50 µs with 100
 * policies.
 */
public final class SafetyCost {
  private SafetyCost() {}

  public static void main(String[] args) {
    Report.quietLogging();
    Report.machine();
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    var settings = new SafetySettings(Set.of("example.com"), Set.of("example.com"));
    List<Policy> policies = policies(100);
    var tools = List.of(tool("run_sql"), tool("http_request"), tool("send_email"), tool("lookup"));
    List<JsonNode> arguments = List.of(
        Json.tree("{\"datasource\":\"warehouse\",\"query\":\"SELECT o.id, sum(o.total) FROM orders o JOIN customers c ON c.id = o.customer_id"
            + " WHERE c.region = 'EU' GROUP BY o.id -- monthly report\"}"),
        Json.tree("{\"method\":\"POST\",\"url\":\"https://crm.partner.test/api/contacts\",\"body\":\"{\\\"note\\\":\\\"call back tomorrow\\\"}\"}"),
        Json.tree("{\"to\":[\"ops@example.com\",\"customer@mail.test\"],\"subject\":\"Incident 42\",\"body\":\"The checkout is back.\"}"),
        Json.tree("{\"service\":\"checkout\"}"));
    System.out.printf("SafetyCost: %,d classifications per configuration, 4 kinds of call, after a warm-up of the same size%n", calls);
    long[] base = measure(new SafetyEngine(settings, List.of()), tools, arguments, calls);
    long[] full = measure(new SafetyEngine(settings, policies), tools, arguments, calls);
    System.out.printf("%-28s %10s %10s %10s %10s%n", "configuration", "p50 µs", "p99 µs", "p99.9 µs", "mean µs");
    print("built-in rules only", base);
    print("rules + 100 policies", full);
    System.out.printf("p99 with 100 policies vs rules only: %.2fx%n", Report.percentile(full, 99) / (double) Report.percentile(base, 99));
    double p99 = Report.percentile(full, 99) / 1000.0;
    System.out.printf("%s  p99 < 50 µs with 100 policies (measured: %.1f µs)%n", p99 < 50 ? "MET " : "MISS", p99);
    stepOverhead(settings, policies, Report.percentile(full, 50) / 1000.0);
  }

  /**
   * What the decision adds to a whole step (model call, safety decision, tool call, their events
   * appended to an in-memory log): steps with no policies against steps with 100.
   */
  private static void stepOverhead(SafetySettings settings, List<Policy> policies, double decideP50Micros) {
    int steps = 1_000;
    double none = microsPerStep(new SafetyEngine(settings, List.of()), steps);
    double hundred = microsPerStep(new SafetyEngine(settings, policies), steps);
    none = Math.min(none, microsPerStep(new SafetyEngine(settings, List.of()), steps)); // best of two, as the machine is shared
    hundred = Math.min(hundred, microsPerStep(new SafetyEngine(settings, policies), steps));
    System.out.printf("%nStep overhead (in-memory log, %,d-step runs, no-op tool; best of two):%n", steps);
    System.out.printf("  mean step, no policies:   %8.1f µs%n", none);
    System.out.printf("  mean step, 100 policies:  %8.1f µs (%+.1f µs, %.2fx)%n", hundred, hundred - none, hundred / none);
    System.out.printf("  one decision (p50) is %.1f%% of a step%n", 100 * decideP50Micros / none);
  }

  private static double microsPerStep(SafetyEngine safety, int steps) {
    ReplayChatModel model = ReplayChatModel.of(EngineOverhead.transcript(steps));
    AgentSpec agent = new AgentSpec("agent-0", null, null, AgentKind.REACT, "replay:safety", "", List.of(EngineOverhead.NoopTool.NAME),
        new Limits(steps, null, null));
    try (RunEngine engine = RunEngine.builder().store(new InMemoryRunStore()).tools(new ToolRegistry(List.of(new EngineOverhead.NoopTool())))
        .models(model::resolved).safety(() -> safety).build()) {
      for (int i = 0; i < 3; i++) { // warm-up
        engine.start(agent, "go", RunOptions.DEFAULT).await();
      }
      int runs = 10;
      long t0 = System.nanoTime();
      for (int i = 0; i < runs; i++) {
        Run run = engine.start(agent, "go", RunOptions.DEFAULT).await();
        if (run.status() != RunStatus.COMPLETED) {
          throw new IllegalStateException("run ended " + run.status().wire() + ": " + run.error());
        }
      }
      return (System.nanoTime() - t0) / 1000.0 / ((double) runs * steps);
    }
  }

  private static long[] measure(SafetyEngine engine, List<Tool> tools, List<JsonNode> arguments, int calls) {
    Path workdir = Path.of("/srv/work");
    long sink = 0;
    for (int i = 0; i < calls; i++) { // warm-up
      sink += engine.decide("agent-" + (i % 7), tools.get(i % 4), arguments.get(i % 4), workdir).approvers();
    }
    long[] nanos = new long[calls];
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      sink += engine.decide("agent-" + (i % 7), tools.get(i % 4), arguments.get(i % 4), workdir).approvers();
      nanos[i] = System.nanoTime() - t0;
    }
    if (sink == 42) {
      System.out.println();
    }
    Arrays.sort(nanos);
    return nanos;
  }

  private static void print(String name, long[] sorted) {
    System.out.printf("%-28s %10.1f %10.1f %10.1f %10.1f%n", name, Report.percentile(sorted, 50) / 1000.0, Report.percentile(sorted, 99) / 1000.0,
        Report.percentile(sorted, 99.9) / 1000.0, Arrays.stream(sorted).average().orElse(0) / 1000.0);
  }

  /** Policies of the shapes teams write: per agent, per tool pattern, with argument predicates of each kind. */
  static List<Policy> policies(int n) {
    var yaml = new StringBuilder();
    String[] tools = {"run_sql", "http_*", "send_email", "*"};
    for (int i = 0; i < n; i++) {
      yaml.append("- id: policy-").append(i).append('\n');
      yaml.append("  match:\n    agents: [\"agent-").append(i % 7).append("\", \"team-").append(i).append("-*\"]\n");
      yaml.append("    tools: [\"").append(tools[i % 4]).append("\"]\n");
      yaml.append("    arguments:\n");
      switch (i % 4) {
        case 0 -> yaml.append("      - {path: /datasource, equals: warehouse-").append(i).append("}\n");
        case 1 -> yaml.append("      - {path: /url, matches: \"https://api").append(i).append("\\\\.example\\\\.com/.*\"}\n");
        case 2 -> yaml.append("      - {path: /subject, contains: \"ticket-").append(i).append("\"}\n");
        default -> yaml.append("      - {path: /dry_run, exists: true}\n");
      }
      yaml.append("  set: {action: ").append(i % 3 == 0 ? "log" : "require_approval").append("}\n");
    }
    return Policies.parse(yaml.toString(), "generated policies");
  }

  private static Tool tool(String name) {
    var spec = new ToolSpec(name, "benchmark tool", Json.tree("{\"type\":\"object\"}"), RiskLevel.LOW, true, null);
    return new Tool() {
      @Override
      public ToolSpec spec() {
        return spec;
      }

      @Override
      public String call(JsonNode arguments, ToolContext context) {
        return "";
      }
    };
  }
}
