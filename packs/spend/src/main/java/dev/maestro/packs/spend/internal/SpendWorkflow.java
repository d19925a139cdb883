package dev.maestro.packs.spend.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.workflow.Workflow;
import dev.maestro.engine.workflow.WorkflowContext;
import dev.maestro.engine.workflow.WorkflowException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The multi-agent shape of the original design as one deterministic workflow: a supervisor plans,
 * triage imports and prices the usage, data analysis reads the breakdowns, the optimizer runs the
 * waste detectors and prices alternatives for the most expensive model, and reporting writes the
 * answer. With a model configured, the report opens with a narrative summary written from its facts.
 */
public final class SpendWorkflow implements Workflow {
  public static final String ID = "spend-analysis";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "Analyses LLM usage exports: cost, breakdowns, waste findings with monthly savings, and cheaper alternatives.";
  }

  @Override
  public String run(String input, WorkflowContext ctx) {
    ArrayNode files = files(input);
    ObjectNode args = Json.MAPPER.createObjectNode();
    args.set("files", files);
    ctx.note("supervisor: " + files.size() + " usage file(s); plan: triage (import and price), data analysis (breakdowns), optimizer (waste detectors, "
        + "alternatives), reporting");

    ctx.note("triage: import and price the usage");
    JsonNode summary = json(call(ctx, "spend_summary", args));
    JsonNode s = summary.path("summary");
    if (s.path("rows").asLong() == 0) {
      return "No usable usage rows in " + files + ". " + String.join(" ", texts(summary.path("warnings"))) + " Bad rows: "
          + summary.path("badRows").path("count").asLong() + " " + texts(summary.path("badRows").path("first"));
    }

    JsonNode top = summary.path("byModel").path(0);
    ctx.note("data analysis: " + s.path("requests").asLong() + " requests, $" + s.path("totalCostUsd").asText() + " over " + s.path("period").path("days")
        + " day(s); most expensive model " + top.path("provider").asText() + "/" + top.path("model").asText() + " at $" + top.path("costUsd").asText()
        + "; " + summary.path("unpriced").size() + " unpriced model(s), " + summary.path("badRows").path("count").asLong() + " bad row(s)");

    ctx.note("optimizer: run the waste detectors and price alternatives to " + top.path("model").asText());
    JsonNode findings = json(call(ctx, "spend_findings", args));
    ObjectNode search = Json.MAPPER.createObjectNode().put("input_tokens", top.path("inputTokens").asLong()).put("output_tokens", top.path("outputTokens").asLong())
        .put("limit", 5);
    JsonNode alternatives = json(call(ctx, "spend_catalog_search", search));

    ctx.note("reporting: " + findings.path("findings").size() + " finding(s)");
    String report = report(summary, findings, alternatives, top);
    Optional<String> narrative = ctx.ask("Write a short executive summary (at most four sentences) of this LLM spend analysis for an engineering "
        + "manager. Use only the facts below and keep every figure as written.\n\n" + report);
    return narrative.map(n -> "## Summary\n\n" + n.strip() + "\n\n" + report).orElse(report);
  }

  private static String call(WorkflowContext ctx, String tool, JsonNode args) {
    try {
      return ctx.call(tool, args);
    } catch (ToolException e) {
      throw new WorkflowException(tool + " failed: " + e.getMessage());
    }
  }

  static ArrayNode files(String input) {
    ArrayNode files = Json.MAPPER.createArrayNode();
    String t = input == null ? "" : input.strip();
    if (t.startsWith("{")) {
      JsonNode node = json(t).path("files");
      node.forEach(f -> files.add(f.asText()));
    } else {
      for (String part : t.split("[\\s,]+")) {
        if (!part.isBlank()) {
          files.add(part);
        }
      }
    }
    if (files.isEmpty()) {
      throw new WorkflowException("give the usage files to analyse, one per line or as {\"files\": [\"usage.csv\"]}, relative to the run's working directory");
    }
    return files;
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new WorkflowException("a spend tool returned something that is not JSON: " + text.substring(0, Math.min(200, text.length())));
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String report(JsonNode summary, JsonNode findings, JsonNode alternatives, JsonNode top) {
    JsonNode s = summary.path("summary");
    StringBuilder r = new StringBuilder("# LLM spend analysis\n\n");
    r.append("- Period: ").append(s.path("period").path("start").asText()).append(" to ").append(s.path("period").path("end").asText()).append(" (")
        .append(s.path("period").path("days").asText()).append(" days)\n");
    r.append("- Cost: $").append(s.path("totalCostUsd").asText()).append(" for ").append(s.path("requests").asLong()).append(" requests, ")
        .append(s.path("inputTokens").asLong()).append(" input and ").append(s.path("outputTokens").asLong()).append(" output tokens\n");
    r.append("- Most expensive model: ").append(top.path("provider").asText()).append('/').append(top.path("model").asText()).append(" ($")
        .append(top.path("costUsd").asText()).append(")\n\n");
    BigDecimal total = BigDecimal.ZERO;
    r.append("## Findings\n\n");
    if (findings.path("findings").isEmpty()) {
      r.append("No waste found.\n\n");
    }
    for (JsonNode f : findings.path("findings")) {
      total = total.add(f.path("estimatedMonthlySavingsUsd").decimalValue());
      r.append("### ").append(f.path("title").asText()).append(": $").append(f.path("estimatedMonthlySavingsUsd").asText()).append(" a month (")
          .append(f.path("savingsPercent").asText()).append("%)\n\n");
      for (JsonNode e : f.path("evidence")) {
        r.append("- ").append(e.asText()).append('\n');
      }
      r.append("\nRecommendation: ").append(f.path("recommendation").asText()).append("\n\n");
    }
    r.append("Estimated savings in all: $").append(total.toPlainString()).append(" a month.\n\n");
    r.append("## Cheapest catalog models for the tokens of ").append(top.path("model").asText()).append("\n\n");
    for (JsonNode m : alternatives.path("models")) {
      r.append("- ").append(m.path("provider").asText()).append('/').append(m.path("model").asText()).append(": $").append(m.path("workloadCostUsd").asText())
          .append('\n');
    }
    if (!summary.path("unpriced").isEmpty()) {
      r.append("\n## Not priced (unknown to the catalog)\n\n");
      for (JsonNode u : summary.path("unpriced")) {
        r.append("- ").append(u.path("provider").asText()).append('/').append(u.path("model").asText()).append(": ").append(u.path("rows").asLong())
            .append(" rows\n");
      }
    }
    if (summary.path("badRows").path("count").asLong() > 0) {
      r.append("\n").append(summary.path("badRows").path("count").asLong()).append(" bad row(s) were not used; first: ")
          .append(String.join("; ", texts(summary.path("badRows").path("first")))).append('\n');
    }
    return r.toString();
  }
}
