package dev.maestro.packs.spend.internal;

import dev.maestro.engine.MaestroException;
import dev.maestro.packs.spend.AnalysisOptions;
import dev.maestro.packs.spend.CatalogQuery;
import dev.maestro.packs.spend.ModelPrice;
import dev.maestro.packs.spend.PriceCatalog;
import dev.maestro.packs.spend.Prices;
import dev.maestro.packs.spend.SpendAnalysis;
import dev.maestro.packs.spend.SpendReport;
import dev.maestro.packs.spend.TokenUsage;
import dev.maestro.packs.spend.UsageFormat;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maestro spend}: analyse usage exports, list prices, search the supply catalog. */
@Command(name = "spend", mixinStandardHelpOptions = true, description = "Analyse LLM and agent usage: cost, waste, cheaper models and providers.",
    subcommands = {SpendCommand.Analyze.class, SpendCommand.PricesCommand.class, SpendCommand.Catalog.class})
public final class SpendCommand implements Runnable {
  final SpendSettings settings;
  final dev.maestro.engine.pack.RunLogs runLogs;
  @Spec CommandSpec spec;

  public SpendCommand(SpendSettings settings) {
    this(settings, dev.maestro.engine.pack.RunLogs.NONE);
  }

  public SpendCommand(SpendSettings settings, dev.maestro.engine.pack.RunLogs runLogs) {
    this.settings = settings;
    this.runLogs = runLogs;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  PriceCatalog catalog(Path overrides) {
    Path p = overrides != null ? overrides : settings.priceOverrides();
    PriceCatalog builtIn = PriceCatalog.builtIn();
    return p == null ? builtIn : builtIn.withOverrides(p);
  }

  /** Runs a body, turning the project's exceptions into a message and exit code 2 (the user's mistake) or 1. */
  static int guarded(CommandSpec spec, Callable<Integer> body) {
    try {
      return body.call();
    } catch (dev.maestro.engine.InvalidInputException e) {
      spec.commandLine().getErr().println("maestro spend: " + e.getMessage());
      return 2;
    } catch (MaestroException | UncheckedIOException e) {
      spec.commandLine().getErr().println("maestro spend: " + e.getMessage());
      return 1;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static long tokens(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT).replace("_", "");
    long unit = t.endsWith("k") ? 1_000 : t.endsWith("m") ? 1_000_000 : 1;
    try {
      return Math.round(Double.parseDouble(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit);
    } catch (NumberFormatException e) {
      throw new dev.maestro.engine.InvalidInputException("'" + text + "' is not a number of tokens; write e.g. 128000, 128k or 1m");
    }
  }

  @Command(name = "analyze", aliases = "analyse", mixinStandardHelpOptions = true,
      description = "Import usage exports, price them, find waste and write a report (Markdown, HTML or JSON).")
  static final class Analyze implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.ParentCommand SpendCommand parent;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Usage exports (OpenAI or Anthropic usage, LiteLLM spend logs, Langfuse, OTLP JSON, usage CSV; .gz too).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--maestro-runs", arity = "0..1", fallbackValue = "10000", paramLabel = "N",
        description = "Also analyse the model calls of this installation's own runs (the newest N runs, 10000 when N is not given).")
    Integer maestroRuns;

    @Option(names = "--format", defaultValue = "md", description = "Report format: md, html or json (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--input-format", description = "Format of every input file, instead of detecting it: ${COMPLETION-CANDIDATES}.",
        converter = FormatConverter.class)
    UsageFormat inputFormat;

    @Option(names = "--out", description = "Write the report to this file instead of the standard output.")
    Path out;

    @Option(names = "--prices", description = "Price overrides YAML (negotiated or self-hosted prices); packs.spend.price_overrides by default.")
    Path prices;

    @Option(names = "--latency-tolerant", description = "Regular expression of project, tag or user names that can wait for batch APIs.")
    String latencyTolerant;

    @Option(names = "--top", defaultValue = "10", description = "Entries per breakdown and evidence list (default ${DEFAULT-VALUE}).")
    int top;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
      return guarded(spec, () -> {
        if (!List.of("md", "html", "json").contains(format)) {
          throw new dev.maestro.engine.InvalidInputException("--format is '" + format + "'; use md, html or json (the input's format is --input-format)");
        }
        Pattern pattern;
        try {
          pattern = latencyTolerant == null ? AnalysisOptions.OFFLINE_WORK : Pattern.compile(latencyTolerant);
        } catch (PatternSyntaxException e) {
          throw new dev.maestro.engine.InvalidInputException("--latency-tolerant is not a regular expression: " + e.getDescription());
        }
        if (files.isEmpty() && maestroRuns == null) {
          throw new dev.maestro.engine.InvalidInputException("nothing to analyse; give usage files, or --maestro-runs for this installation's own runs");
        }
        if (maestroRuns != null && maestroRuns < 1) {
          throw new dev.maestro.engine.InvalidInputException("--maestro-runs is " + maestroRuns + "; give how many of the newest runs to read (1 or more)");
        }
        Path overrides = prices != null ? prices : parent.settings.priceOverrides();
        PriceCatalog catalog = parent.catalog(overrides);
        AnalysisOptions options = new AnalysisOptions(pattern, overrides == null ? List.of() : Overrides.deployments(overrides), top);
        long total = 0;
        for (Path f : files) {
          if (!Files.isRegularFile(f)) {
            throw new dev.maestro.engine.InvalidInputException("usage file " + f + " does not exist or is not a file");
          }
          total += Files.size(f);
        }
        SpendReport report;
        try (SpendAnalysis analysis = new SpendAnalysis(catalog); ProgressBar bar = quiet ? null : progress(total)) {
          long done = 0;
          for (Path f : files) {
            long before = done;
            if (bar != null) {
              bar.setExtraMessage(f.getFileName().toString());
            }
            analysis.importFile(f, inputFormat, n -> {
              if (bar != null) {
                bar.stepTo((before + n) / 1024);
              }
            });
            done += Files.size(f);
          }
          if (maestroRuns != null) {
            int n = maestroRuns;
            int read = parent.runLogs.read(runs -> analysis.importRuns(runs, n));
            spec.commandLine().getErr().println("read the model calls of " + read + " Maestro run(s)");
          }
          if (bar != null) {
            bar.setExtraMessage("analysing " + analysis.rows() + " rows");
          }
          report = analysis.report(options);
        }
        String text = switch (format) {
          case "json" -> ReportWriter.json(report);
          case "html" -> ReportWriter.html(report);
          default -> ReportWriter.markdown(report);
        };
        if (out != null) {
          Files.writeString(out, text);
          spec.commandLine().getErr().println("wrote " + out + ": " + report.summary().rows() + " rows, " + ReportWriter.money(report.summary().totalCostUsd())
              + ", " + report.findings().size() + " finding(s)");
        } else {
          PrintWriter w = spec.commandLine().getOut();
          w.print(text);
          w.flush();
        }
        return 0;
      });
    }

    private ProgressBar progress(long totalBytes) {
      return new ProgressBarBuilder().setTaskName("import").setInitialMax(Math.max(1, totalBytes / 1024)).setUnit(" MiB", 1024)
          .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err)).showSpeed().build();
    }
  }

  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<UsageFormat> {
    @Override
    public UsageFormat convert(String value) {
      return UsageFormat.parse(value);
    }
  }

  @Command(name = "prices", mixinStandardHelpOptions = true, description = "List and search the pricing catalog (USD per million tokens).")
  static final class PricesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.ParentCommand SpendCommand parent;

    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "Part of the provider/model name, e.g. gpt-4o or claude.")
    String text;

    @Option(names = "--provider", description = "Only this provider.")
    String provider;

    @Option(names = "--all-modes", description = "Embedding, image and audio models too (chat models only by default).")
    boolean allModes;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "JSON instead of a table.")
    boolean json;

    @Option(names = "--prices", description = "Price overrides YAML.")
    Path prices;

    @Override
    public Integer call() {
      return guarded(spec, () -> {
        PriceCatalog catalog = parent.catalog(prices);
        CatalogQuery q = CatalogQuery.chat().withText(text).withProvider(provider).withLimit(limit).withMode(allModes ? null : "chat");
        print(spec, catalog, catalog.search(q), json, false);
        return 0;
      });
    }
  }

  static void print(CommandSpec spec, PriceCatalog catalog, List<PriceCatalog.Ranked> found, boolean json, boolean withWorkload) {
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      List<Object> rows = new ArrayList<>();
      for (PriceCatalog.Ranked r : found) {
        rows.add(new CatalogRow(r.model(), r.workloadCostUsd()));
      }
      w.print(ReportWriter.json(new CatalogListing(catalog.sources(), rows)));
    } else {
      w.println("Prices in USD per million tokens; " + String.join("; ",
          catalog.sources().stream().map(s -> s.name() + (s.date().isEmpty() ? "" : " " + s.date() + " (" + s.licence() + ")")).toList()));
      w.printf(Locale.ROOT, "%-12s %-44s %9s %9s %9s %9s %9s %9s %-8s%s%n", "provider", "model", "input", "output", "cache-rd", "cache-wr", "batch-in",
          "context", "caps", withWorkload ? "   workload" : "");
      for (PriceCatalog.Ranked r : found) {
        ModelPrice m = r.model();
        Prices p = m.prices();
        String caps = (m.capabilities().tools() ? "T" : "-") + (m.capabilities().vision() ? "V" : "-") + (m.capabilities().reasoning() ? "R" : "-")
            + (p.tiers().isEmpty() ? "" : " tiered");
        w.printf(Locale.ROOT, "%-12s %-44s %9s %9s %9s %9s %9s %9s %-8s%s%n", m.provider(), m.model().length() > 44 ? m.model().substring(0, 43) + "~" : m.model(),
            d(p.input()), d(p.output()), d(p.cacheRead()), d(p.cacheWrite()), d(p.batchInput()), m.contextWindow() == null ? "-" : m.contextWindow(), caps,
            withWorkload ? "   " + ReportWriter.money(r.workloadCostUsd()) : "");
      }
      if (found.isEmpty()) {
        w.println("(no model matches)");
      }
    }
    w.flush();
  }

  private static String d(BigDecimal v) {
    return v == null ? "-" : v.toPlainString();
  }

  record CatalogListing(List<PriceCatalog.Source> sources, List<Object> models) {}

  record CatalogRow(String provider, String model, String source, BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cacheReadPerMillion,
      BigDecimal cacheWritePerMillion, BigDecimal batchInputPerMillion, BigDecimal batchOutputPerMillion, Long contextWindow, boolean tools, boolean vision,
      boolean reasoning, List<Prices.Tier> tiers, BigDecimal workloadCostUsd) {
    CatalogRow(ModelPrice m, BigDecimal workload) {
      this(m.provider(), m.model(), m.source(), m.prices().input(), m.prices().output(), m.prices().cacheRead(), m.prices().cacheWrite(),
          m.prices().batchInput(), m.prices().batchOutput(), m.contextWindow(), m.capabilities().tools(), m.capabilities().vision(),
          m.capabilities().reasoning(), m.prices().tiers().isEmpty() ? null : m.prices().tiers(), workload == null ? null : Sql.money(workload));
    }
  }

  @Command(name = "catalog", mixinStandardHelpOptions = true,
      description = "Search the supply catalog: models and providers ranked by price, or by what your own workload would cost on each.")
  static final class Catalog implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.ParentCommand SpendCommand parent;

    @Option(names = "--min-context", description = "Smallest context window, e.g. 128k or 1m.")
    String minContext;

    @Option(names = "--tools", description = "Only models with tool (function) calling.")
    boolean tools;

    @Option(names = "--vision", description = "Only models that take images.")
    boolean vision;

    @Option(names = "--reasoning", description = "Only reasoning models.")
    boolean reasoning;

    @Option(names = "--max-input-price", description = "Highest input price, USD per million tokens.")
    BigDecimal maxInputPrice;

    @Option(names = "--max-output-price", description = "Highest output price, USD per million tokens.")
    BigDecimal maxOutputPrice;

    @Option(names = "--provider", description = "Only this provider.")
    String provider;

    @Option(names = "--workload", arity = "1..*", paramLabel = "FILE", description = "Usage exports whose tokens are priced on every model found.")
    List<Path> workload;

    @Option(names = "--limit", defaultValue = "20", description = "At most this many (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "JSON instead of a table.")
    boolean json;

    @Option(names = "--prices", description = "Price overrides YAML.")
    Path prices;

    @Override
    public Integer call() {
      return guarded(spec, () -> {
        PriceCatalog catalog = parent.catalog(prices);
        TokenUsage tokens = workload == null ? null : workloadTokens(catalog);
        CatalogQuery q = new CatalogQuery(null, provider, "chat", minContext == null ? 0 : tokens(minContext), tools, vision, reasoning, maxInputPrice,
            maxOutputPrice, false, tokens, limit);
        if (tokens != null) {
          spec.commandLine().getErr().printf(Locale.ROOT, "workload: %,d input tokens (%,d cache reads, %,d cache writes), %,d output tokens in %,d requests%n",
              tokens.inputTokens(), tokens.cacheReadTokens(), tokens.cacheWriteTokens(), tokens.outputTokens(), tokens.requests());
        }
        print(spec, catalog, catalog.search(q), json, tokens != null);
        return 0;
      });
    }

    private TokenUsage workloadTokens(PriceCatalog catalog) {
      try (SpendAnalysis analysis = new SpendAnalysis(catalog)) {
        for (Path f : workload) {
          analysis.importFile(f, null, null);
        }
        SpendReport.Summary s = analysis.report(AnalysisOptions.DEFAULT).summary();
        return new TokenUsage(s.inputTokens(), s.outputTokens(), s.cacheReadTokens(), s.cacheWriteTokens(), 0, Math.max(1, s.requests()), false);
      }
    }
  }

}
