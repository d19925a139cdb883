package dev.maestro.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.auth.Permission;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.safety.Action;
import dev.maestro.engine.safety.Decision;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.tool.ToolRegistry;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Spark pack's page: a form to analyse an event log under the server's working directory, and
 * the report rendered from the JSON the pack's tools return. The server does not depend on the
 * pack: the page calls its tools by name through {@link Services#tools()}, each through the safety
 * engine as a direct tool call is, and says so when the pack is not installed.
 */
final class ConsoleSpark {
  /** The tool whose presence means the Spark pack is installed. */
  static final String PROBE = "spark_load_log";
  /** The tools the report is made of, in the order they are called, with their extra arguments. */
  static final List<String> TOOLS = List.of("spark_load_log", "spark_summary", "spark_findings", "spark_recommend", "spark_stage_details",
      "spark_simulate_executors");
  private final Console console;

  ConsoleSpark(Console console) {
    this.console = console;
  }

  /** @param installed whether the pack's tools are in the workspace's registry */
  record SparkPage(Console.Chrome chrome, boolean installed, String workdir) {}

  /**
   * What the tools said about one log: each tool's JSON output (or null when it failed), and the
   * tools' errors by name.
   */
  record Report(String path, Map<String, JsonNode> outputs, Map<String, String> errors) {
    JsonNode get(String tool) {
      JsonNode n = outputs.get(tool);
      return n == null ? Json.MAPPER.missingNode() : n;
    }

    List<JsonNode> list(String tool, String field) {
      var out = new java.util.ArrayList<JsonNode>();
      get(tool).path(field).forEach(out::add);
      return out;
    }

    /** The application's fields, from the first tool that gave them. */
    JsonNode application() {
      return get("spark_load_log").path("application");
    }
  }

  /** A size in bytes as people read it: {@code 512 B}, {@code 3.4 MiB}. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }

  static boolean installed(ToolRegistry tools) {
    return tools.find(PROBE).isPresent();
  }

  List<Route> routes() {
    return List.of(
        Console.page("/maestro/packs/spark", "The Spark pack: analyse an event log and read its report", this::page),
        Console.action("/maestro/packs/spark/analyze",
            "Analyse a Spark event log under the server's working directory with the Spark pack's tools", Permission.OPERATE, this::analyze));
  }

  private void page(Context ctx) {
    Services s = Auth.services(ctx);
    console.render(ctx, "spark.jte", new SparkPage(console.chrome(ctx, "spark", "Spark"), installed(s.tools()), s.workdir().toString()));
  }

  private void analyze(Context ctx) {
    Services s = Auth.services(ctx);
    if (!installed(s.tools())) {
      throw new InvalidInputException("the Spark pack is not installed: its tool " + PROBE + " is not in this workspace's registry;"
          + " put maestro-pack-spark on the server's class path and restart it");
    }
    String path = ctx.formParam("path");
    if (path == null || path.isBlank()) {
      throw new InvalidInputException("give the path of a Spark event log (a file or an eventlog_v2_* directory) relative to the server's"
          + " working directory");
    }
    String confined = KnowledgeRoutes.confined(ctx, path.strip());
    var context = new ToolContext(null, null, s.workdir());
    JsonNode arguments = Json.MAPPER.createObjectNode().put("path", confined);
    // Every tool is judged before any runs: a refusal of one refuses the page, as a direct call would be refused.
    var tools = new java.util.ArrayList<Tool>();
    Decision last = null;
    for (String name : TOOLS) {
      Tool tool = s.tools().find(name).orElse(null);
      if (tool == null) {
        continue;
      }
      Decision decision = s.safety().get().decide(null, tool, arguments, context.workdir());
      if (decision.action() == Action.BLOCK || decision.action() == Action.REQUIRE_APPROVAL) {
        Auth.note(ctx, decision);
        throw new Auth.Forbidden("the safety engine does not let " + name + " run directly (" + decision.risk().wire() + " risk, "
            + decision.action().wire() + " by " + decision.policy() + "): " + decision.reason());
      }
      if (last == null || decision.risk().compareTo(last.risk()) > 0) {
        last = decision;
      }
      tools.add(tool);
    }
    if (last != null) {
      Auth.note(ctx, last);
    }
    var outputs = new LinkedHashMap<String, JsonNode>();
    var errors = new LinkedHashMap<String, String>();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Tool tool : tools) {
        String name = tool.spec().name();
        Future<String> call = executor.submit(() -> tool.call(arguments, context));
        try {
          String text = call.get(tool.spec().timeout().toMillis(), TimeUnit.MILLISECONDS);
          try {
            outputs.put(name, Json.MAPPER.readTree(text));
          } catch (JsonProcessingException e) {
            errors.put(name, "its output is not JSON (it may have been cut at the tool's size limit)");
          }
        } catch (TimeoutException e) {
          call.cancel(true);
          errors.put(name, "did not finish within " + tool.spec().timeout().toSeconds() + "s");
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof ToolException && name.equals(PROBE)) {
            // the log itself could not be read: the other tools would say the same
            throw new InvalidInputException("the Spark pack could not analyse '" + path.strip() + "': " + cause.getMessage());
          }
          errors.put(name, cause instanceof ToolException ? cause.getMessage() : "failed: " + cause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          call.cancel(true);
          throw new IllegalStateException("interrupted while analysing " + path.strip(), e);
        }
      }
    }
    console.render(ctx, "spark_report.jte", new Report(path.strip(), outputs, errors));
  }
}
