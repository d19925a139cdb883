package dev.maestro.packs.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.tool.ToolSpec;
import dev.maestro.packs.spark.internal.Logs;
import dev.maestro.packs.spark.internal.Report;
import dev.maestro.packs.spark.internal.ReportJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The pack's tools. Each reads one event log (cached across calls) and returns JSON for a model to
 * read, cut to a bounded size: lists are limited and say how many entries were left out.
 */
final class SparkTools {
  static final List<String> NAMES = List.of("spark_load_log", "spark_summary", "spark_stage_details", "spark_findings", "spark_simulate_executors",
      "spark_recommend");
  static final int MAX_OBSERVATION = 16_000;
  private static final int MAX_LIST = 20;

  /** Finding ids by the step of the advisor that looks at them. */
  static final Map<String, Set<String>> CATEGORIES = Map.of(
      "partitions", Set.of("shuffle-partitions-too-few", "shuffle-partitions-too-many", "spill", "small-output-files"),
      "skew", Set.of("task-skew", "shuffle-read-skew", "input-skew", "stragglers", "long-stage"),
      "runtime", Set.of("executor-utilization", "idle-executors", "dynamic-allocation-unbounded", "executors-too-few", "gc-high", "gc-low",
          "driver-time", "failed-tasks", "failed-stages", "failed-jobs", "executors-lost", "aqe-disabled", "java-serializer", "broadcastable-join"));

  private final LoadedLogs logs;

  SparkTools(LoadedLogs logs) {
    this.logs = logs;
  }

  List<Tool> all() {
    return List.of(
        tool("spark_load_log", "Reads a Spark event log (a file, compressed or not, or an eventlog_v2_* directory) and returns an overview: "
            + "application, counts of jobs, stages, tasks and executors, findings by severity, warnings about the log. Call it first.",
            "{}", this::load),
        tool("spark_summary", "Summary of a Spark application: duration, driver versus executor time, the most severe findings, cost, and the "
            + "longest stages.", "{}", this::summary),
        tool("spark_stage_details", "Details of one stage (all REST API metrics, task duration and size quantiles, failures); without stage_id, "
            + "the longest stages.", """
            {"stage_id":{"type":"integer","description":"the stage id"},
             "attempt_id":{"type":"integer","description":"the stage attempt (default: the last)"}}""", this::stage),
        tool("spark_findings", "Diagnosed problems (skew, spill, partitions, executors, GC, driver time, failures, joins, configuration), each with "
            + "severity, evidence and what to do.", """
            {"category":{"type":"string","enum":["partitions","skew","runtime"],"description":"only findings of this kind"},
             "min_severity":{"type":"string","enum":["low","moderate","severe","critical"],"description":"only findings at least this severe"}}""",
            this::findings),
        tool("spark_simulate_executors", "Estimates the application's wall time with other executor counts by replaying its tasks; gives the "
            + "critical path, the ideal time with unlimited executors and a recommended count.", """
            {"executors":{"type":"array","items":{"type":"integer","minimum":1,"maximum":10000},
               "description":"executor counts to estimate (default: 0.25x to 4x the observed count)"}}""", this::simulate),
        tool("spark_recommend", "Configuration changes for the application as --conf key=value, each with its expected effect and the findings "
            + "it comes from, plus a spark-submit line.", "{}", this::recommend));
  }

  /** A tool whose parameters are {@code path} and the given properties (a JSON object of JSON Schemas). */
  private static Tool tool(String name, String description, String extraProperties, BiFunction<JsonNode, ToolContext, Object> body) {
    ObjectNode schema = ReportJson.MAPPER.createObjectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("path").put("type", "string")
        .put("description", "path of the event log file or eventlog_v2_* directory, relative to the working directory or absolute");
    try {
      properties.setAll((ObjectNode) ReportJson.MAPPER.readTree(extraProperties));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("bad parameters of " + name, e);
    }
    schema.putArray("required").add("path");
    ToolSpec spec = new ToolSpec(name, description, schema, RiskLevel.LOW, true, Duration.ofMinutes(5));
    return new Tool() {
      @Override
      public ToolSpec spec() {
        return spec;
      }

      @Override
      public String call(JsonNode arguments, ToolContext context) {
        return bounded(ReportJson.write(body.apply(arguments == null ? ReportJson.MAPPER.createObjectNode() : arguments, context)));
      }
    };
  }

  private static String bounded(String json) {
    if (json.length() <= MAX_OBSERVATION) {
      return json;
    }
    return json.substring(0, MAX_OBSERVATION) + "\n[cut at " + MAX_OBSERVATION + " of " + json.length()
        + " characters; ask for one stage, a category or a minimum severity to see less at once]";
  }

  private Logs.Result result(JsonNode args, ToolContext context) {
    JsonNode path = args.path("path");
    if (!path.isTextual() || path.asText().isBlank()) {
      throw new ToolException("'path' is missing: give the path of a Spark event log");
    }
    return logs.load(path.asText(), context);
  }

  private Object load(JsonNode args, ToolContext context) {
    Report r = result(args, context).report();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("application", application(r));
    out.put("jobs", r.jobs().size());
    out.put("stages", r.stages().size());
    out.put("tasks", r.stages().stream().mapToLong(s -> s.numCompleteTasks() + s.numFailedTasks() + s.numKilledTasks()).sum());
    out.put("failedTasks", r.stages().stream().mapToLong(Report.Stage::numFailedTasks).sum());
    out.put("executors", r.executors().stream().filter(e -> !e.id().equals("driver")).count());
    out.put("sqlExecutions", r.sql().size());
    Map<String, Long> bySeverity = new LinkedHashMap<>();
    for (Report.Finding f : r.findings()) {
      bySeverity.merge(f.severity().label(), 1L, Long::sum);
    }
    out.put("findingsBySeverity", bySeverity);
    out.put("warnings", limit(r.warnings()));
    return out;
  }

  private static Map<String, Object> application(Report r) {
    Report.Application a = r.application();
    Map<String, Object> app = new LinkedHashMap<>();
    app.put("id", a.id());
    app.put("name", a.name());
    app.put("sparkVersion", a.sparkVersion());
    app.put("sparkUser", a.sparkUser());
    app.put("startTime", a.startTime());
    app.put("duration", a.duration());
    app.put("completed", a.completed());
    app.put("attempts", a.attempts().size());
    app.put("logBytes", a.logBytes());
    app.put("malformedLines", a.malformedLines());
    return app;
  }

  private Object summary(JsonNode args, ToolContext context) {
    Report r = result(args, context).report();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("application", application(r));
    Report.Simulation s = r.simulation();
    out.put("time", Map.of("wallClockTime", s.wallClockTime(), "driverTime", s.driverTime(), "executorTime", s.executorTime(), "criticalPath",
        s.criticalPath(), "idealTime", s.idealTime()));
    out.put("topFindings", r.findings().stream().limit(5).map(f -> f.severity().label() + ": " + f.title() + " - " + f.evidence()).toList());
    out.put("cost", r.cost());
    out.put("longestStages", r.stages().stream().sorted(Comparator.comparingLong(Report.Stage::duration).reversed()).limit(5)
        .map(SparkTools::brief).toList());
    return out;
  }

  private static Map<String, Object> brief(Report.Stage s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("stageId", s.stageId());
    m.put("attemptId", s.attemptId());
    m.put("name", s.name().length() > 80 ? s.name().substring(0, 80) + "..." : s.name());
    m.put("status", s.status());
    m.put("numTasks", s.numTasks());
    m.put("duration", s.duration());
    m.put("executorRunTime", s.executorRunTime());
    m.put("shuffleReadBytes", s.shuffleReadBytes());
    m.put("shuffleWriteBytes", s.shuffleWriteBytes());
    m.put("diskBytesSpilled", s.diskBytesSpilled());
    return m;
  }

  private Object stage(JsonNode args, ToolContext context) {
    Report r = result(args, context).report();
    if (!args.hasNonNull("stage_id")) {
      List<Map<String, Object>> longest = r.stages().stream().sorted(Comparator.comparingLong(Report.Stage::duration).reversed()).limit(MAX_LIST)
          .map(SparkTools::brief).toList();
      return Map.of("stages", longest, "total", r.stages().size(), "note", "the longest " + longest.size() + " stages; give stage_id for one");
    }
    if (!args.path("stage_id").canConvertToInt()) {
      throw new ToolException("'stage_id' must be an integer");
    }
    int id = args.path("stage_id").asInt();
    List<Report.Stage> attempts = r.stages().stream().filter(s -> s.stageId() == id).toList();
    if (attempts.isEmpty()) {
      throw new ToolException("there is no stage " + id + "; stage ids run from " + r.stages().stream().mapToInt(Report.Stage::stageId).min().orElse(0)
          + " to " + r.stages().stream().mapToInt(Report.Stage::stageId).max().orElse(0));
    }
    if (args.hasNonNull("attempt_id")) {
      int attempt = args.path("attempt_id").asInt();
      return attempts.stream().filter(s -> s.attemptId() == attempt).findFirst()
          .orElseThrow(() -> new ToolException("stage " + id + " has no attempt " + attempt + "; it has " + attempts.stream().map(Report.Stage::attemptId).toList()));
    }
    return attempts.getLast();
  }

  private Object findings(JsonNode args, ToolContext context) {
    Report r = result(args, context).report();
    String category = args.path("category").asText("");
    if (!category.isEmpty() && !CATEGORIES.containsKey(category)) {
      throw new ToolException("unknown category '" + category + "'; use one of " + CATEGORIES.keySet().stream().sorted().toList());
    }
    Report.Severity min = Report.Severity.LOW;
    if (args.hasNonNull("min_severity")) {
      try {
        min = Report.Severity.valueOf(args.path("min_severity").asText().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ToolException("unknown min_severity '" + args.path("min_severity").asText() + "'; use low, moderate, severe or critical");
      }
    }
    Report.Severity floor = min;
    List<Report.Finding> list = r.findings().stream().filter(f -> category.isEmpty() || CATEGORIES.get(category).contains(f.id()))
        .filter(f -> f.severity().compareTo(floor) >= 0).toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("findings", list.stream().limit(MAX_LIST).toList());
    if (list.size() > MAX_LIST) {
      out.put("omitted", list.size() - MAX_LIST);
    }
    return out;
  }

  private Object simulate(JsonNode args, ToolContext context) {
    Logs.Result result = result(args, context);
    if (!args.path("executors").isArray() || args.path("executors").isEmpty()) {
      return result.report().simulation();
    }
    List<Integer> counts = new ArrayList<>();
    for (JsonNode n : args.path("executors")) {
      if (!n.canConvertToInt() || n.asInt() < 1 || n.asInt() > 10_000) {
        throw new ToolException("'executors' must be counts between 1 and 10000, got " + n);
      }
      counts.add(n.asInt());
    }
    if (counts.size() > 16) {
      throw new ToolException("at most 16 executor counts per call, got " + counts.size());
    }
    return result.replay().simulate(counts);
  }

  private Object recommend(JsonNode args, ToolContext context) {
    Report r = result(args, context).report();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("recommendations", r.recommendations());
    StringBuilder submit = new StringBuilder("spark-submit");
    r.recommendations().forEach(rec -> submit.append(' ').append(rec.conf()));
    out.put("sparkSubmit", submit.toString());
    out.put("recommendedExecutors", r.simulation().recommendedExecutors());
    out.put("recommendedUtilization", r.simulation().recommendedUtilization());
    return out;
  }

  private static List<String> limit(List<String> list) {
    if (list.size() <= MAX_LIST) {
      return list;
    }
    List<String> cut = new ArrayList<>(list.subList(0, MAX_LIST));
    cut.add("... " + (list.size() - MAX_LIST) + " more");
    return cut;
  }
}
