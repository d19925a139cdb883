package dev.maestro.benchmarks;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.maestro.engine.pack.Pack;
import dev.maestro.engine.pack.PackContext;
import dev.maestro.packs.spark.SparkSettings;
import dev.maestro.packs.spark.internal.Logs;
import dev.maestro.packs.spark.internal.Report.Stage;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The Spark pack's event log analysis against Spark's own replay (ReplayListenerBus into
 * AppStatusListener, what the History Server runs), on the same files in the same run:
 * throughput in MB/s of decompressed JSON (cold, and warm on one core), peak heap, and the time of
 * the whole process ({@code maestro spark analyze} versus Spark's replay), on the largest shared log
 * and on a large log made by repeating its tasks. The Spark side needs the spark-baseline module
 * built ({@code ./mvnw -Pspark-baseline -pl benchmarks/spark-baseline -am package -DskipTests});
 * without it only the pack's figures are printed.
 */
public final class SparkLogs {
  private static final String USAGE = """
      usage: benchmarks/run.sh SparkLogs [--log FILE] [--large-mb N] [--iterations N] [--spark-iterations N] [--processes N] [--maestro-xmx SIZE] [--spark-xmx SIZE]
                                   [--maestro-java-opts "FLAGS"]
        --log          the log to measure (default ../shared/data/spark-eventlogs/nds_q72_dataproc_2_2.zstd, the largest shared log)
        --large-mb     also measure a log of about N MB of JSON made by repeating the tasks of --log (default 1024; 0: skip)
        --iterations   warm in-process runs on --log (default 15; 3 on the large log); the JIT settles late on a busy machine
        --spark-iterations  replays in Spark's own JVM for its warm figure (default 3)
        --processes    whole-process runs per log and side (default 3; the median is reported)
        --maestro-xmx  heap of the maestro process (default 512m)
        --spark-xmx    heap of Spark's replay process (default 4g)
        --maestro-java-opts  more JVM flags for the maestro process (as MAESTRO_JAVA_OPTS gives the launcher), e.g.
                       "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" (default: none)""";

  private SparkLogs() {}

  public static void main(String[] args) throws Exception {
    Report.quietLogging();
    Options o = new Options(args, Set.of("log", "large-mb", "iterations", "spark-iterations", "processes", "maestro-xmx", "spark-xmx", "maestro-java-opts", "child"), USAGE);
    if (o.text("child") != null) {
      child(Path.of(o.text("child")));
      return;
    }
    Path log = Path.of(o.text("log") != null ? o.text("log") : "../shared/data/spark-eventlogs/nds_q72_dataproc_2_2.zstd");
    if (!Files.isRegularFile(log)) {
      System.err.println("SparkLogs: no log at " + log + "; give one with --log (the shared logs are in ../shared/data/spark-eventlogs)");
      System.exit(2);
    }
    int largeMb = o.integer("large-mb", 1024, 0);
    int iterations = o.integer("iterations", 15, 1);
    int sparkIterations = o.integer("spark-iterations", 3, 1);
    int processes = o.integer("processes", 3, 1);
    String maestroXmx = o.text("maestro-xmx") != null ? o.text("maestro-xmx") : "512m";
    String sparkXmx = o.text("spark-xmx") != null ? o.text("spark-xmx") : "4g";
    List<String> maestroOpts = o.text("maestro-java-opts") == null || o.text("maestro-java-opts").isBlank() ? List.of()
        : List.of(o.text("maestro-java-opts").strip().split("\\s+"));

    Report.machine();
    Path baseline = Path.of("benchmarks/spark-baseline/target");
    boolean spark = Files.isDirectory(baseline.resolve("lib")) && Files.isDirectory(baseline.resolve("classes"));
    if (!spark) {
      System.out.println("NOTICE: Spark's replay is not built, so only the pack is measured; build it with");
      System.out.println("  ./mvnw -Pspark-baseline -pl benchmarks/spark-baseline -am package -DskipTests");
    }
    List<Path> logs = new ArrayList<>(List.of(log));
    if (largeMb > 0) {
      Path large = Path.of("benchmarks/target/spark-logs/large-" + largeMb + "mb-" + log.getFileName().toString().replaceAll("\\.zstd$", "") + ".zstd");
      if (!Files.exists(large)) {
        Files.createDirectories(large.getParent());
        long t = System.nanoTime();
        long written = repeatTasks(log, large, (long) largeMb << 20);
        System.out.printf(Locale.ROOT, "made %s: %s of JSON, %s compressed, in %.1f s%n", large, Report.mib(written), Report.mib(Files.size(large)),
            (System.nanoTime() - t) / 1e9);
      }
      logs.add(large);
    }

    Report.Table inProcess = new Report.Table("log (in this JVM, one thread)", "MB of JSON", "cold MB/s", "warm MB/s (best)", "warm MB/s (median)",
        "warm MB per CPU s (best)", "peak heap");
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    if (!maestroOpts.isEmpty()) {
      System.out.println("maestro process JVM flags: " + String.join(" ", maestroOpts));
    }
    Report.Table whole = new Report.Table("log (whole process, median of " + processes + ")", "maestro s", "maestro peak heap", "spark s",
        "spark peak heap", "spark / maestro");
    Report.Table numbers = new Report.Table("log (same numbers?)", "stages", "tasks", "sum executorRunTime ms", "spark stages", "spark tasks",
        "spark sum executorRunTime ms");
    List<Runnable> targets = new ArrayList<>();
    for (Path file : logs) {
      // in this JVM: cold, then warm
      int runs = file == log ? iterations : Math.min(iterations, 3);
      long[] warm = new long[runs];
      long[] warmCpu = new long[runs];
      long bytes = 0;
      long peak = 0;
      double cold = 0;
      Logs.Result result = null;
      for (int i = 0; i <= runs; i++) {
        HeapSampler.liveAfterGc();
        long t = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        try (HeapSampler heap = HeapSampler.start()) {
          result = Logs.analyze(Logs.find(List.of(file)), SparkSettings.DEFAULTS, 1, n -> {}).getFirst();
          heap.close();
          peak = Math.max(peak, heap.sampledPeak());
        }
        long nanos = System.nanoTime() - t;
        long cpuNanos = threads.getCurrentThreadCpuTime() - cpu;
        bytes = result.report().application().logBytes();
        if (i == 0) {
          cold = mbPerSecond(bytes, nanos);
        } else {
          warm[i - 1] = nanos;
          warmCpu[i - 1] = cpuNanos;
        }
      }
      long[] sorted = Report.sorted(warm);
      double best = mbPerSecond(bytes, sorted[0]);
      inProcess.row(file.getFileName(), Report.fixed(bytes / 1e6, 1), Report.fixed(cold, 0), Report.fixed(best, 0),
          Report.fixed(mbPerSecond(bytes, sorted[sorted.length / 2]), 0), Report.fixed(mbPerSecond(bytes, Report.sorted(warmCpu)[0]), 0),
          Report.mib(peak));
      double warmBest = best;
      if (file == log) {
        targets.add(() -> Report.target("pack >= 300 MB/s warm on one core (" + file.getFileName() + ")", Report.fixed(warmBest, 0) + " MB/s",
            warmBest >= 300));
      }

      // whole processes, alternating
      long[] maestroNanos = new long[processes];
      long[] sparkNanos = new long[processes];
      long maestroPeak = 0;
      long sparkPeak = 0;
      String sparkLine = null;
      boolean maestroOk = true;
      for (int i = 0; i < processes; i++) {
        long t = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + maestroXmx));
        command.addAll(maestroOpts);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SparkLogs.class.getName(), "--child", file.toString()));
        Child m = run(command);
        maestroNanos[i] = System.nanoTime() - t;
        maestroOk &= m.ok();
        maestroPeak = Math.max(maestroPeak, m.number("peakHeap"));
        if (spark) {
          t = System.nanoTime();
          Child s = run(List.of(java(), "-Xmx" + sparkXmx, "-cp", baseline.resolve("classes") + java.io.File.pathSeparator + baseline.resolve("lib") + "/*",
              "dev.maestro.benchmarks.spark.SparkReplay", file.toString()));
          sparkNanos[i] = System.nanoTime() - t;
          sparkPeak = Math.max(sparkPeak, s.number("peakHeap"));
          sparkLine = s.json();
        }
      }
      long mMedian = Report.sorted(maestroNanos)[processes / 2];
      long sMedian = spark ? Report.sorted(sparkNanos)[processes / 2] : 0;
      whole.row(file.getFileName(), maestroOk ? Report.fixed(mMedian / 1e9, 2) : "FAILED", Report.mib(maestroPeak),
          spark ? Report.fixed(sMedian / 1e9, 2) : "-", spark ? Report.mib(sparkPeak) : "-", spark ? Report.fixed((double) sMedian / mMedian, 1) + "x" : "-");
      boolean ok = maestroOk;
      if (spark && file == log) {
        double ratio = (double) sMedian / mMedian;
        targets.add(() -> Report.target("whole maestro process >= 3x faster than Spark's whole replay process (" + file.getFileName() + ")",
            Report.fixed(ratio, 1) + "x", ratio >= 3));
      }
      if (file != log) {
        long logBytes = bytes;
        targets.add(() -> Report.target("a " + Report.fixed(logBytes / 1e6, 0) + " MB log analysed with -Xmx" + maestroXmx, ok ? "completed" : "failed",
            ok && logBytes >= 1_000_000_000L && maestroXmx.equals("512m")));
      }
      long stages = result.report().stages().size();
      long tasks = result.report().stages().stream().mapToLong(s -> s.numCompleteTasks() + s.numFailedTasks() + s.numKilledTasks()).sum();
      long runTime = result.report().stages().stream().mapToLong(Stage::executorRunTime).sum();
      numbers.row(file.getFileName(), stages, tasks, runTime, sparkLine == null ? "-" : field(sparkLine, "stages"),
          sparkLine == null ? "-" : field(sparkLine, "tasks"), sparkLine == null ? "-" : field(sparkLine, "executorRunTime"));
      result = null;
    }
    if (spark) {
      // Spark warm, in its own JVM: the best of several replays
      Report.Table sparkWarm = new Report.Table("log (Spark replay, in its JVM)", "cold MB/s", "warm MB/s (best)");
      for (Path file : logs) {
        Child s = run(List.of(java(), "-Xmx" + sparkXmx, "-cp", baseline.resolve("classes") + java.io.File.pathSeparator + baseline.resolve("lib") + "/*",
            "dev.maestro.benchmarks.spark.SparkReplay", file.toString(), "--iterations", String.valueOf(sparkIterations + 1)));
        double[] rates = s.lines().stream().filter(l -> l.startsWith("{")).mapToDouble(l -> field(l, "bytes") / 1e6 / field(l, "seconds")).toArray();
        sparkWarm.row(file.getFileName(), Report.fixed(rates[0], 0), Report.fixed(Arrays.stream(rates).skip(1).max().orElse(rates[0]), 0));
      }
      System.out.println();
      sparkWarm.print();
    }
    System.out.println();
    inProcess.print();
    System.out.println();
    whole.print();
    System.out.println();
    numbers.print();
    System.out.println();
    System.out.println("targets:");
    targets.forEach(Runnable::run);
  }

  private static double mbPerSecond(long bytes, long nanos) {
    return bytes / 1e6 / (nanos / 1e9);
  }

  /** As the maestro CLI runs it: the pack's command found through ServiceLoader, run by picocli; prints one JSON line. */
  private static void child(Path file) throws IOException {
    Pack pack = ServiceLoader.load(Pack.class).stream().map(ServiceLoader.Provider::get).filter(p -> p.id().equals("spark")).findFirst().orElseThrow();
    Path out = Files.createTempFile("spark-report", ".json");
    long t = System.nanoTime();
    long peak;
    int code;
    StringWriter err = new StringWriter();
    try (HeapSampler heap = HeapSampler.start()) {
      CommandLine cli = new CommandLine(pack.commands(new PackContext(Path.of("."), null, null)).getFirst());
      cli.setErr(new PrintWriter(err));
      code = cli.execute("analyze", file.toString(), "--format", "json", "--out", out.toString(), "--progress", "never");
      heap.close();
      peak = heap.sampledPeak();
    }
    Files.deleteIfExists(out);
    if (code != 0) {
      System.err.println(err);
    }
    System.out.printf(Locale.ROOT, "{\"seconds\":%.3f,\"peakHeap\":%d,\"exit\":%d}%n", (System.nanoTime() - t) / 1e9, peak, code);
    System.exit(code);
  }

  private record Child(int exit, List<String> lines) {
    boolean ok() {
      return exit == 0;
    }

    String json() {
      return lines.stream().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}");
    }

    long number(String name) {
      return (long) field(json(), name);
    }
  }

  private static Child run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    }
    int exit = p.waitFor();
    if (exit != 0) {
      System.err.println("child failed (" + exit + "): " + String.join(" ", command.subList(0, Math.min(4, command.size()))) + " ...");
      lines.stream().filter(l -> !l.startsWith("WARNING")).limit(20).forEach(l -> System.err.println("  " + l));
    }
    return new Child(exit, lines);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static double field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(-?[0-9.]+)").matcher(json);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  private static final Pattern TASK_ID = Pattern.compile("\"Task ID\":(\\d+)");

  /**
   * Writes a copy of {@code source} (zstd) in which every task (its start and end events) appears
   * as many times as needed to reach about {@code target} bytes of JSON, each copy with its own task
   * id: the same application with more tasks per stage.
   */
  static long repeatTasks(Path source, Path target, long targetBytes) throws IOException {
    List<String> lines;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new ZstdInputStream(Files.newInputStream(source)), StandardCharsets.UTF_8))) {
      lines = r.lines().toList();
    }
    long total = 0;
    long taskBytes = 0;
    for (String l : lines) {
      total += l.length() + 1;
      if (isTask(l)) {
        taskBytes += l.length() + 1;
      }
    }
    int copies = (int) Math.max(1, Math.ceil((double) (targetBytes - (total - taskBytes)) / taskBytes));
    long written = 0;
    try (OutputStream out = new BufferedOutputStream(new ZstdOutputStream(Files.newOutputStream(target), 3), 1 << 20)) {
      for (String l : lines) {
        if (!isTask(l)) {
          written += write(out, l);
          continue;
        }
        Matcher m = TASK_ID.matcher(l);
        if (!m.find()) {
          written += write(out, l);
          continue;
        }
        long id = Long.parseLong(m.group(1));
        for (int c = 0; c < copies; c++) {
          written += write(out, c == 0 ? l : TASK_ID.matcher(l).replaceAll("\"Task ID\":" + (id + (long) c * 100_000_000L)));
        }
      }
    }
    return written;
  }

  private static boolean isTask(String line) {
    return line.startsWith("{\"Event\":\"SparkListenerTaskStart\"") || line.startsWith("{\"Event\":\"SparkListenerTaskEnd\"");
  }

  private static long write(OutputStream out, String line) throws IOException {
    byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
    out.write(b);
    return b.length;
  }
}
