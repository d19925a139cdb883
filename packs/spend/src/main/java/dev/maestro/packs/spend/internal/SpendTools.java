package dev.maestro.packs.spend.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.tool.WorkdirFiles;
import dev.maestro.engine.tool.ToolSpec;
import dev.maestro.packs.spend.AnalysisOptions;
import dev.maestro.packs.spend.CatalogQuery;
import dev.maestro.packs.spend.ModelPrice;
import dev.maestro.packs.spend.PriceCatalog;
import dev.maestro.packs.spend.SpendAnalysis;
import dev.maestro.packs.spend.SpendReport;
import dev.maestro.packs.spend.TokenUsage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The pack's tools, available to any agent: {@code spend_summary}, {@code spend_findings}, {@code
 * spend_price} and {@code spend_catalog_search}. Files are read from the run's working directory.
 * Reports are kept for the last few file sets, so that summary and findings of the same files
 * import them once.
 */
public final class SpendTools {
  /** Tool outputs stay under this many entries per list, so a model can read them whole. */
  static final int MAX_LIST = 10;

  private final Supplier<PriceCatalog> catalog;
  private final AnalysisOptions options;
  private final Map<String, SpendReport> recent = new LinkedHashMap<>(4, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, SpendReport> eldest) {
      return size() > 4;
    }
  };

  public SpendTools(Supplier<PriceCatalog> catalog, AnalysisOptions options) {
    this.catalog = catalog;
    this.options = options;
  }

  public List<Tool> all() {
    return List.of(summary(), findings(), price(), catalogSearch());
  }

  private static JsonNode schema(String json) {
    return dev.maestro.engine.internal.Json.tree(json);
  }

  private static final String FILES = """
      "files": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                "description": "usage exports in the working directory (OpenAI or Anthropic usage reports, LiteLLM spend logs, Langfuse observations, OTLP JSON spans, usage CSV)"}""";

  private record SimpleTool(ToolSpec spec, Body body) implements Tool {
    @Override
    public String call(JsonNode arguments, ToolContext context) {
      try {
        return body.call(arguments, context);
      } catch (ToolException e) {
        throw e;
      } catch (MaestroException e) {
        throw new ToolException(e.getMessage(), e);
      }
    }
  }

  private interface Body {
    String call(JsonNode arguments, ToolContext context);
  }

  Tool summary() {
    return new SimpleTool(new ToolSpec("spend_summary",
        "Imports LLM usage exports and returns what they cost: totals, the period, cost by model, provider and project, the most expensive requests, "
            + "models without a price, and rows that could not be read. JSON.",
        schema("{\"type\": \"object\", \"properties\": {" + FILES + "}, \"required\": [\"files\"]}"), RiskLevel.LOW, true, Duration.ofMinutes(10)),
        (args, ctx) -> {
          SpendReport r = report(args, ctx);
          var b = r.breakdowns();
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("summary", r.summary());
          out.put("byModel", first(b.byModel()));
          out.put("byProvider", first(b.byProvider()));
          out.put("byProject", first(b.byProject()));
          out.put("topRequests", first(b.topRequests()));
          out.put("trend", b.trend());
          out.put("unpriced", first(r.unpriced()));
          out.put("warnings", first(r.warnings()));
          out.put("badRows", new SpendReport.BadRows(r.badRows().count(), first(r.badRows().first())));
          out.put("findingsAvailable", r.findings().size());
          return ReportWriter.compact(out);
        });
  }

  Tool findings() {
    return new SimpleTool(new ToolSpec("spend_findings",
        "Finds waste in LLM usage exports: repeated requests, prompt caching not used, batch-able workloads, premium models on short outputs, the same model "
            + "cheaper elsewhere, failed requests, context bloat, KV-cache sizing. Each finding has evidence and estimated monthly savings. JSON.",
        schema("{\"type\": \"object\", \"properties\": {" + FILES + ", \"detector\": {\"type\": \"string\", \"description\": \"only this detector, e.g. batch_api\"}},"
            + " \"required\": [\"files\"]}"), RiskLevel.LOW, true, Duration.ofMinutes(10)),
        (args, ctx) -> {
          SpendReport r = report(args, ctx);
          String only = args.path("detector").asText(null);
          List<SpendReport.Finding> found = new ArrayList<>();
          for (SpendReport.Finding f : r.findings()) {
            if (only == null || only.equals(f.detector())) {
              found.add(new SpendReport.Finding(f.detector(), f.title(), first(f.evidence()), f.recommendation(), f.estimatedMonthlySavingsUsd(),
                  f.savingsPercent()));
            }
          }
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("totalCostUsd", r.summary().totalCostUsd());
          out.put("observedDays", r.summary().period().days());
          out.put("findings", found);
          return ReportWriter.compact(out);
        });
  }

  Tool price() {
    return new SimpleTool(new ToolSpec("spend_price",
        "Exact cost in US dollars of some tokens of a model at a provider, from the built-in pricing catalog (and the user's overrides). "
            + "input_tokens counts every input token, cached ones included.",
        schema("""
            {"type": "object", "properties": {
              "provider": {"type": "string", "description": "e.g. openai, anthropic, aws, google; inferred from the model when absent"},
              "model": {"type": "string"},
              "input_tokens": {"type": "integer", "minimum": 0}, "output_tokens": {"type": "integer", "minimum": 0},
              "cache_read_tokens": {"type": "integer", "minimum": 0}, "cache_write_tokens": {"type": "integer", "minimum": 0},
              "batch": {"type": "boolean"}},
             "required": ["model", "input_tokens", "output_tokens"]}"""), RiskLevel.LOW, true, Duration.ofSeconds(10)),
        (args, ctx) -> {
          String model = args.path("model").asText("");
          if (model.isBlank()) {
            throw new ToolException("spend_price needs 'model', e.g. gpt-4o");
          }
          String provider = args.path("provider").asText(null);
          PriceCatalog c = catalog.get();
          ModelPrice m = c.find(provider, model).orElseThrow(() -> new ToolException("the catalog has no price for " + (provider == null ? "" : provider + "/")
              + model + "; similar: " + c.search(CatalogQuery.chat().withText(model.length() > 6 ? model.substring(0, 6) : model).withLimit(5)).stream()
                  .map(r -> r.model().key()).toList() + "; use spend_catalog_search to find the exact name"));
          TokenUsage u;
          try {
            u = new TokenUsage(args.path("input_tokens").asLong(0), args.path("output_tokens").asLong(0), args.path("cache_read_tokens").asLong(0),
                args.path("cache_write_tokens").asLong(0), 0, 1, args.path("batch").asBoolean(false));
          } catch (dev.maestro.engine.InvalidInputException e) {
            throw new ToolException(e.getMessage());
          }
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("provider", m.provider());
          out.put("model", m.model());
          out.put("costUsd", m.cost(u).stripTrailingZeros().toPlainString());
          out.put("pricesPerMillion", m.prices());
          out.put("contextWindow", m.contextWindow());
          out.put("source", m.source());
          return ReportWriter.compact(out);
        });
  }

  Tool catalogSearch() {
    return new SimpleTool(new ToolSpec("spend_catalog_search",
        "Searches the pricing catalog for models and providers matching needs (context window, tools, vision, reasoning, price caps), cheapest first; "
            + "with a workload (token counts), ranks by what that workload would cost on each. JSON, at most 20 models.",
        schema("""
            {"type": "object", "properties": {
              "text": {"type": "string", "description": "part of provider/model name"}, "provider": {"type": "string"},
              "min_context": {"type": "integer", "minimum": 0}, "tools": {"type": "boolean"}, "vision": {"type": "boolean"}, "reasoning": {"type": "boolean"},
              "max_input_price": {"type": "number", "description": "USD per million input tokens"},
              "max_output_price": {"type": "number", "description": "USD per million output tokens"},
              "input_tokens": {"type": "integer", "minimum": 0, "description": "workload to price on each model"},
              "output_tokens": {"type": "integer", "minimum": 0}, "cache_read_tokens": {"type": "integer", "minimum": 0},
              "limit": {"type": "integer", "minimum": 1, "maximum": 20}}}"""), RiskLevel.LOW, true, Duration.ofSeconds(10)),
        (args, ctx) -> {
          TokenUsage workload = null;
          if (args.has("input_tokens") || args.has("output_tokens")) {
            try {
              workload = new TokenUsage(args.path("input_tokens").asLong(0), args.path("output_tokens").asLong(0), args.path("cache_read_tokens").asLong(0), 0,
                  0, 1, false);
            } catch (dev.maestro.engine.InvalidInputException e) {
              throw new ToolException(e.getMessage());
            }
          }
          int limit = Math.max(1, Math.min(20, args.path("limit").asInt(10)));
          CatalogQuery q = new CatalogQuery(args.path("text").asText(null), args.path("provider").asText(null), "chat", args.path("min_context").asLong(0),
              args.path("tools").asBoolean(false), args.path("vision").asBoolean(false), args.path("reasoning").asBoolean(false),
              decimal(args, "max_input_price"), decimal(args, "max_output_price"), false, workload, limit);
          List<Object> rows = new ArrayList<>();
          for (PriceCatalog.Ranked r : catalog.get().search(q)) {
            rows.add(new SpendCommand.CatalogRow(r.model(), r.workloadCostUsd()));
          }
          return ReportWriter.compact(Map.of("models", rows));
        });
  }

  private static BigDecimal decimal(JsonNode args, String field) {
    JsonNode v = args.get(field);
    return v == null || !v.isNumber() ? null : v.decimalValue();
  }

  private static <T> List<T> first(List<T> list) {
    return list.size() > MAX_LIST ? List.copyOf(list.subList(0, MAX_LIST)) : list;
  }

  private SpendReport report(JsonNode args, ToolContext ctx) {
    JsonNode files = args.path("files");
    if (!files.isArray() || files.isEmpty()) {
      throw new ToolException("give 'files': a list of usage exports in the working directory, e.g. [\"usage.csv\"]");
    }
    List<Path> paths = new ArrayList<>();
    StringBuilder key = new StringBuilder();
    for (JsonNode f : files) {
      Path p = WorkdirFiles.confine(f.asText(), ctx.workdir(), "the spend tools");
      paths.add(p);
      try {
        key.append(p).append('|').append(Files.size(p)).append('|').append(Files.getLastModifiedTime(p).toMillis()).append('\n');
      } catch (IOException e) {
        throw new ToolException("could not read '" + f.asText() + "': " + e.getMessage());
      }
    }
    synchronized (recent) {
      SpendReport cached = recent.get(key.toString());
      if (cached != null) {
        return cached;
      }
    }
    SpendReport report;
    try (SpendAnalysis analysis = new SpendAnalysis(catalog.get())) {
      for (Path p : paths) {
        analysis.importFile(p, null, null);
      }
      report = analysis.report(options);
    }
    synchronized (recent) {
      recent.put(key.toString(), report);
    }
    return report;
  }
}
