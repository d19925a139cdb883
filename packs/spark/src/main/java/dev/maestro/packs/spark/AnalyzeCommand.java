package dev.maestro.packs.spark;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.packs.spark.internal.Logs;
import dev.maestro.packs.spark.internal.Render;
import dev.maestro.packs.spark.internal.ReportJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code maestro spark analyze PATH... [--format md|html|json] [--out FILE]}. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {"Analyse Spark event logs: findings, recommended --conf changes, executor simulation and cost.",
        "PATH is an event log (plain, .zstd, .lz4, .snappy, .lzf, .gz, .inprogress), a rolling eventlog_v2_* directory,",
        "or a directory of logs (analysed in parallel, with a summary table)."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every log was analysed", "1:some logs could not be read (the others are in the report)", "2:bad usage or input"})
final class AnalyzeCommand implements Callable<Integer> {
  private static final long PROGRESS_MIN_BYTES = 64L << 20;

  enum Format { md, html, json }

  enum Progress { auto, always, never }

  @ParentCommand
  SparkCommand parent;

  @Spec
  CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Event log files or directories.")
  List<Path> paths;

  @Option(names = "--format", defaultValue = "md", description = "Report format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
  Path out;

  @Option(names = "--threads", paramLabel = "N", description = "Logs read at once (default: the number of processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--progress", defaultValue = "auto",
      description = "Progress bar on standard error: ${COMPLETION-CANDIDATES} (auto: for inputs over 64 MiB on a terminal).")
  Progress progress;

  @Override
  public Integer call() {
    SparkSettings settings = parent == null ? SparkSettings.DEFAULTS : parent.settings;
    PrintWriter err = spec.commandLine().getErr();
    if (threads < 1) {
      throw new InvalidInputException("--threads " + threads + " is not valid; give 1 or more");
    }
    Logs.Found found = Logs.find(paths);
    found.skipped().forEach(s -> err.println("skipped " + s));
    long total = found.compressedBytes();
    boolean showBar = progress == Progress.always || (progress == Progress.auto && total >= PROGRESS_MIN_BYTES && onTerminal());
    List<Logs.Result> results;
    if (showBar) {
      try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Reading " + found.logs().size() + " log" + (found.logs().size() == 1 ? "" : "s"))
          .setInitialMax(total).setUnit(" MiB of files", 1 << 20).showSpeed().setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
        LongConsumer step = n -> bar.stepBy(n);
        results = Logs.analyze(found, settings, threads, step);
        bar.stepTo(total);
      }
    } else {
      results = Logs.analyze(found, settings, threads, n -> {});
    }
    String text = render(results);
    if (out == null) {
      PrintWriter o = spec.commandLine().getOut();
      o.print(text);
      o.flush();
    } else {
      try {
        if (out.getParent() != null) {
          Files.createDirectories(out.getParent());
        }
        Files.writeString(out, text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the report to '" + out + "': " + e.getMessage(), e);
      }
      err.println("wrote " + out);
    }
    int failed = 0;
    for (Logs.Result r : results) {
      if (r.error() != null) {
        failed++;
        err.println("could not analyse " + r.source() + ": " + r.error());
      }
    }
    err.flush();
    return failed > 0 ? 1 : 0;
  }

  /** Whether the process runs on a terminal; from JDK 22 System.console() exists even when redirected, so ask isTerminal(). */
  private static boolean onTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a console means a terminal
    }
  }

  private String render(List<Logs.Result> results) {
    boolean single = results.size() == 1 && results.getFirst().report() != null;
    return switch (format) {
      case json -> {
        if (single) {
          yield ReportJson.pretty(results.getFirst().report()) + "\n";
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("applications", results.stream().filter(r -> r.report() != null).map(Logs.Result::report).toList());
        doc.put("errors", results.stream().filter(r -> r.error() != null).map(r -> Map.of("source", r.source(), "error", r.error())).toList());
        yield ReportJson.pretty(doc) + "\n";
      }
      case md -> {
        if (single) {
          yield Render.markdown(results.getFirst().report());
        }
        StringBuilder b = new StringBuilder(Render.summaryMarkdown(results));
        results.stream().filter(r -> r.report() != null).forEach(r -> b.append("\n---\n\n").append(Render.markdown(r.report())));
        yield b.toString();
      }
      case html -> single ? Render.html(results.getFirst().report()) : Render.summaryHtml(results);
    };
  }
}
