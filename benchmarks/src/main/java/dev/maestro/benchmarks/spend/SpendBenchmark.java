package dev.maestro.benchmarks.spend;

import dev.maestro.packs.spend.AnalysisOptions;
import dev.maestro.packs.spend.PriceCatalog;
import dev.maestro.packs.spend.SpendAnalysis;
import dev.maestro.packs.spend.SpendReport;
import java.io.BufferedReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;

/**
 * Imports and analyses generated usage with the spend pack: {@code benchmarks/run.sh spend.SpendBenchmark [--rows N] [--dir DIR] [--keep]}.
 * Targets from issue 7: 10 million rows imported in 60 s or less, the full analysis in 10 s or less,
 * peak heap under 1 GiB, on 2 cores. Baselines measured in the same run: DuckDB's own CSV reader
 * loading the same file (no validation, no pricing), and one group-by over the loaded rows.
 */
public final class SpendBenchmark {
  private SpendBenchmark() {}

  static long cpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
  }

  public static void main(String[] args) throws Exception {
    long rows = 10_000_000;
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    boolean keep = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows" -> rows = Long.parseLong(args[++i].replace("_", ""));
        case "--dir" -> dir = Path.of(args[++i]);
        case "--keep" -> keep = true;
        default -> {
          System.err.println("usage: benchmarks/run.sh spend.SpendBenchmark [--rows N] [--dir DIR] [--keep]");
          System.exit(2);
        }
      }
    }
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Runtime rt = Runtime.getRuntime();
    System.out.printf(Locale.ROOT, "JVM %s, max heap %d MiB, %d CPUs, load average at start %.2f%n", System.getProperty("java.runtime.version"),
        rt.maxMemory() >> 20, rt.availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.println("command: benchmarks/run.sh spend.SpendBenchmark " + String.join(" ", args) + "  (JAVA_OPTS=" + System.getenv().getOrDefault("JAVA_OPTS", "-Xmx1g") + ")");

    Path file = dir.resolve("spend-bench-" + rows + ".csv");
    long t0 = System.nanoTime();
    long bytes = Files.exists(file) ? Files.size(file) : UsageGenerator.write(file, rows);
    System.out.printf(Locale.ROOT, "usage file: %s, %,d rows, %.0f MiB (ready in %.1f s)%n", file, rows, bytes / 1048576.0, (System.nanoTime() - t0) / 1e9);

    long readLines = 0;
    t0 = System.nanoTime();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      while (r.readLine() != null) {
        readLines++;
      }
    }
    double readSeconds = (System.nanoTime() - t0) / 1e9;

    double nativeSeconds;
    double groupSeconds;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
      t0 = System.nanoTime();
      st.execute("CREATE TABLE t AS SELECT * FROM read_csv('" + file.toString().replace("'", "''") + "', header = true, all_varchar = false)");
      nativeSeconds = (System.nanoTime() - t0) / 1e9;
      t0 = System.nanoTime();
      try (ResultSet rs = st.executeQuery("SELECT provider, model, sum(input_tokens), sum(output_tokens), count(*) FROM t GROUP BY ALL")) {
        while (rs.next()) {
          rs.getLong(3);
        }
      }
      groupSeconds = (System.nanoTime() - t0) / 1e9;
    }
    System.gc();

    PriceCatalog catalog;
    t0 = System.nanoTime();
    catalog = PriceCatalog.builtIn();
    double catalogSeconds = (System.nanoTime() - t0) / 1e9;

    SpendReport report;
    double importSeconds;
    double analysisSeconds;
    long imported;
    try (HeapPeak heap = HeapPeak.start(); SpendAnalysis analysis = new SpendAnalysis(catalog)) {
      t0 = System.nanoTime();
      long cpu0 = cpuNanos();
      analysis.importFile(file, null, null);
      imported = analysis.rows();
      importSeconds = (System.nanoTime() - t0) / 1e9;
      double importCpu = (cpuNanos() - cpu0) / 1e9;
      long importHeap = heap.peak();
      t0 = System.nanoTime();
      cpu0 = cpuNanos();
      report = analysis.report(AnalysisOptions.DEFAULT);
      analysisSeconds = (System.nanoTime() - t0) / 1e9;
      double analysisCpu = (cpuNanos() - cpu0) / 1e9;
      heap.close();
      System.out.printf(Locale.ROOT, "%n%-34s %10s %12s%n", "step", "seconds", "rows/s");
      System.out.printf(Locale.ROOT, "%-34s %10.2f %,12.0f%n", "catalog load (built-in resource)", catalogSeconds, 0.0);
      System.out.printf(Locale.ROOT, "%-34s %10.2f %,12.0f%n", "baseline: read lines only", readSeconds, readLines / readSeconds);
      System.out.printf(Locale.ROOT, "%-34s %10.2f %,12.0f%n", "baseline: DuckDB read_csv", nativeSeconds, rows / nativeSeconds);
      System.out.printf(Locale.ROOT, "%-34s %10.2f %,12.0f%n", "spend import (parse, price, append)", importSeconds, imported / importSeconds);
      System.out.printf(Locale.ROOT, "%-34s %10.2f %12s%n", "baseline: one group-by", groupSeconds, "");
      System.out.printf(Locale.ROOT, "%-34s %10.2f %12s%n", "spend full analysis (8 detectors)", analysisSeconds, "");
      System.out.printf(Locale.ROOT, "CPU time (all threads, DuckDB's included): import %.1f s, analysis %.1f s; load average now %.2f (other processes share the 2 cores)%n",
          importCpu, analysisCpu, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      System.out.printf(Locale.ROOT, "%nimport / DuckDB read_csv: %.2fx; analysis / one group-by: %.1fx%n", importSeconds / nativeSeconds, analysisSeconds / groupSeconds);
      System.out.printf(Locale.ROOT, "peak heap sampled: %d MiB during import, %d MiB overall; process peak RSS (VmHWM, DuckDB's native memory included): %s%n",
          importHeap >> 20, heap.peak() >> 20, HeapPeak.peakRss());
    }
    System.out.printf(Locale.ROOT, "rows imported %,d, bad rows %,d, total cost $%s, findings %d, unpriced models %d%n", report.summary().rows(),
        report.badRows().count(), report.summary().totalCostUsd().toPlainString(), report.findings().size(), report.unpriced().size());
    for (SpendReport.Finding f : report.findings()) {
      System.out.printf(Locale.ROOT, "  %-16s $%s a month (%s%%)%n", f.detector(), f.estimatedMonthlySavingsUsd().toPlainString(), f.savingsPercent());
    }
    System.out.printf(Locale.ROOT, "%ntargets (issue 7): import <= 60 s: %s; analysis <= 10 s: %s; peak heap < 1 GiB: %s%n", importSeconds <= 60 ? "met" : "MISSED",
        analysisSeconds <= 10 ? "met" : "MISSED", rt.maxMemory() <= (1L << 30) || report.summary().rows() == 0 ? "met (max heap is 1 GiB)" : "see sampled peak");
    if (!keep) {
      Files.deleteIfExists(file);
    }
  }
}
