package dev.maestro.packs.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.workflow.Workflow;
import dev.maestro.engine.workflow.WorkflowContext;
import dev.maestro.engine.workflow.WorkflowException;
import dev.maestro.packs.spark.internal.ReportJson;
import dev.maestro.packs.spark.internal.Units;
import java.io.IOException;
import java.util.Locale;

/**
 * {@code spark-advisor}: the same diagnosis every time, without a model. Steps, each a recorded
 * tool call: metadata, partitions, skew, runtime (with the executor simulation), cost, then the
 * recommendations; the answer is a Markdown report built only from the steps' results.
 */
final class SparkAdvisorWorkflow implements Workflow {
  static final String ID = "spark-advisor";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "Diagnoses a Spark event log step by step (metadata, partitions, skew, runtime, cost) and recommends configuration; no model needed.";
  }

  @Override
  public String run(String input, WorkflowContext context) {
    String path = path(input);
    StringBuilder out = new StringBuilder();

    context.note("metadata: read the log and see what the application is");
    JsonNode meta = call(context, "spark_load_log", args(path));
    JsonNode app = meta.path("application");
    out.append("# Spark advisor: ").append(app.path("name").asText("?")).append(" (").append(app.path("id").asText("?")).append(")\n\n");
    out.append("Spark ").append(app.path("sparkVersion").asText("?")).append(", ").append(Units.millis(app.path("duration").asLong()))
        .append(app.path("completed").asBoolean() ? "" : " (incomplete log)").append(", ").append(meta.path("jobs").asInt()).append(" jobs, ")
        .append(meta.path("stages").asInt()).append(" stages, ").append(meta.path("tasks").asLong()).append(" tasks (")
        .append(meta.path("failedTasks").asLong()).append(" failed) on ").append(meta.path("executors").asInt()).append(" executors.\n");
    for (JsonNode w : meta.path("warnings")) {
      out.append("- warning: ").append(w.asText()).append('\n');
    }

    for (String step : new String[] {"partitions", "skew", "runtime"}) {
      context.note(step + ": findings about " + switch (step) {
        case "partitions" -> "shuffle partition sizes, spill and output files";
        case "skew" -> "uneven tasks, stragglers and dominant stages";
        default -> "executors, GC, driver time, failures and configuration";
      });
      ObjectNode a = args(path);
      a.put("category", step);
      JsonNode findings = call(context, "spark_findings", a);
      out.append("\n## ").append(step.substring(0, 1).toUpperCase(Locale.ROOT)).append(step.substring(1)).append("\n\n");
      if (findings.path("findings").isEmpty()) {
        out.append("Nothing found.\n");
      }
      for (JsonNode f : findings.path("findings")) {
        out.append("- **").append(f.path("severity").asText()).append("** ").append(f.path("title").asText()).append(": ")
            .append(f.path("evidence").asText()).append(". ").append(f.path("recommendation").asText()).append('\n');
      }
      if (step.equals("runtime")) {
        JsonNode sim = call(context, "spark_simulate_executors", args(path));
        out.append("\nWall clock ").append(Units.millis(sim.path("wallClockTime").asLong())).append(", of which driver ")
            .append(Units.millis(sim.path("driverTime").asLong())).append("; critical path ").append(Units.millis(sim.path("criticalPath").asLong()))
            .append("; ideal time with unlimited executors ").append(Units.millis(sim.path("idealTime").asLong())).append(".\n\n")
            .append("| executors | estimated time | utilization |\n|---|---|---|\n");
        for (JsonNode e : sim.path("estimates")) {
          out.append("| ").append(e.path("executors").asInt()).append(" | ").append(Units.millis(e.path("estimatedTime").asLong())).append(" | ")
              .append(Units.percent(e.path("utilization").asDouble())).append(" |\n");
        }
        out.append("\nRecommended: ").append(sim.path("recommendedExecutors").asInt()).append(" executors (observed ")
            .append(sim.path("observedExecutors").asInt()).append(").\n");
      }
    }

    context.note("cost: resources held versus used, and their price");
    JsonNode summary = call(context, "spark_summary", args(path));
    JsonNode cost = summary.path("cost");
    out.append("\n## Cost\n\n").append(String.format(Locale.ROOT, "%.3f core-hours held, %.3f used, %.3f wasted; about %.3f %s on %s, %.3f %s wasted.%n",
        cost.path("coreHours").asDouble(), cost.path("coreHoursUsed").asDouble(), cost.path("coreHoursWasted").asDouble(),
        cost.path("estimatedCost").asDouble(), cost.path("currency").asText(), cost.path("instanceType").asText(), cost.path("wastedCost").asDouble(),
        cost.path("currency").asText()));

    context.note("report: the configuration to change");
    JsonNode rec = call(context, "spark_recommend", args(path));
    out.append("\n## Recommendations\n\n");
    if (rec.path("recommendations").isEmpty()) {
      out.append("No configuration change recommended.\n");
    } else {
      out.append("```\n").append(rec.path("sparkSubmit").asText().replace(" --conf", " \\\n  --conf")).append("\n```\n\n");
      for (JsonNode r : rec.path("recommendations")) {
        out.append("- `").append(r.path("conf").asText()).append("`: ").append(r.path("effect").asText()).append(" (from ")
            .append(String.join(", ", texts(r.path("findings")))).append(")\n");
      }
    }
    return out.toString();
  }

  private static String[] texts(JsonNode array) {
    String[] out = new String[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asText();
    }
    return out;
  }

  /** The input is the log's path, or a JSON object with a "path" field. */
  static String path(String input) {
    String text = input == null ? "" : input.strip();
    if (text.startsWith("{")) {
      try {
        text = ReportJson.MAPPER.readTree(text).path("path").asText("");
      } catch (IOException e) {
        throw new WorkflowException("the input looks like JSON but is not valid JSON; give the event log's path, or {\"path\": \"...\"}");
      }
    }
    if (text.isEmpty()) {
      throw new WorkflowException("spark-advisor needs the path of a Spark event log as its input, e.g. 'logs/app-1.zstd'");
    }
    return text;
  }

  private static ObjectNode args(String path) {
    ObjectNode a = ReportJson.MAPPER.createObjectNode();
    a.put("path", path);
    return a;
  }

  private static JsonNode call(WorkflowContext context, String tool, JsonNode arguments) {
    String observation = context.call(tool, arguments);
    try {
      return ReportJson.MAPPER.readTree(observation);
    } catch (IOException e) {
      throw new WorkflowException(tool + " returned something that is not JSON: " + observation.substring(0, Math.min(200, observation.length())));
    }
  }
}
