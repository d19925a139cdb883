package dev.maestro.packs.spark.internal;

import static dev.maestro.packs.spark.internal.Units.bytes;
import static dev.maestro.packs.spark.internal.Units.millis;
import static dev.maestro.packs.spark.internal.Units.percent;

import dev.maestro.packs.spark.internal.Report.Severity;
import dev.maestro.packs.spark.internal.Report.Simulation;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The diagnosis rules. Each rule grades what it measures against thresholds that cite where they
 * come from (Spark's own defaults, Dr. Elephant's heuristics, Sparklens), or says they are ours.
 */
final class Findings {
  // Spark AQE skew join rule: a partition is skewed if larger than skewedPartitionFactor (5.0) times
  // the median and larger than skewedPartitionThresholdInBytes (256 MB).
  static final double AQE_SKEW_FACTOR = 5.0;
  static final long AQE_SKEW_BYTES = 256 * Units.MB;
  // Target shuffle partition size: spark.sql.adaptive.advisoryPartitionSizeInBytes defaults to 64 MB;
  // 200 MB is the usual upper bound of the recommended 64-200 MB range.
  static final long PARTITION_TARGET_LOW = 64 * Units.MB;
  static final long PARTITION_TARGET_HIGH = 200 * Units.MB;
  static final long PARTITION_TARGET = 128 * Units.MB;
  // spark.sql.autoBroadcastJoinThreshold default: 10 MB
  static final long BROADCAST_DEFAULT = 10 * Units.MB;

  private final AppData app;
  private final Simulation sim;
  private final Simulator.Resources res;
  private final Advice advice = new Advice();
  private final long wall;

  private Findings(AppData app, Simulation sim, Simulator.Resources res) {
    this.app = app;
    this.sim = sim;
    this.res = res;
    this.wall = sim.wallClockTime();
  }

  static Advice diagnose(AppData app, Simulation sim, Simulator.Resources res) {
    Findings f = new Findings(app, sim, res);
    f.skew();
    f.spill();
    f.partitions();
    f.provisioning();
    f.gc();
    f.driverTime();
    f.failures();
    f.executorLosses();
    f.stragglers();
    f.smallFiles();
    f.joins();
    f.aqe();
    f.serializer();
    f.longStages();
    return f.advice;
  }

  private String prop(String key) {
    return app.properties.get(key);
  }

  private boolean propIs(String key, String value, boolean defaultTrue) {
    String v = prop(key);
    return v == null ? defaultTrue : v.strip().equalsIgnoreCase(value);
  }

  private static String stageLabel(StageData s) {
    String name = s.name.length() > 60 ? s.name.substring(0, 60) + "..." : s.name;
    return "stage " + s.stageId + (s.attemptId > 0 ? " (attempt " + s.attemptId + ")" : "") + " '" + name + "'";
  }

  private static long quantile(long[] sorted, double q) {
    // AppStatusStore.taskSummary: index min(q * count, count - 1)
    return sorted.length == 0 ? 0 : sorted[(int) Math.min((long) (q * sorted.length), sorted.length - 1)];
  }

  // ---- skew ----

  private void skew() {
    for (StageData s : app.stages.values()) {
      if (s.durations.size() < 10) {
        continue; // too few tasks to call a distribution skewed
      }
      long[] d = s.durations.sorted();
      long median = quantile(d, 0.5);
      long max = d[d.length - 1];
      // Ours: a skewed task costs little unless the longest task is long.
      if (max >= 30_000 && median > 0) {
        double ratio = (double) max / median;
        // Dr. Elephant's data skew heuristic grades the deviation from the mean at 2, 4, 8, 16.
        Severity sev = Advice.grade(ratio, 2, 4, 8, 16);
        advice.finding("task-skew", "Task duration skew", sev,
            stageLabel(s) + ": longest task " + millis(max) + " vs median " + millis(median) + " (" + fmt(ratio) + "x) over " + d.length + " tasks",
            "Spread the work evenly: enable AQE skew join handling, or salt the hot keys.", s.stageId);
        if (sev.compareTo(Severity.MODERATE) >= 0) {
          advice.conf("task-skew", "spark.sql.adaptive.skewJoin.enabled", "true", "splits skewed shuffle partitions of sort-merge joins (Spark 3.0+)");
        }
      }
      dataSkew(s, s.shuffleReadPerTask, "shuffle-read-skew", "Shuffle read skew");
      dataSkew(s, s.inputBytesPerTask, "input-skew", "Input skew");
    }
  }

  private void dataSkew(StageData s, LongList values, String id, String title) {
    long[] v = values.sorted();
    if (v.length < 10) {
      return;
    }
    long median = quantile(v, 0.5);
    long max = v[v.length - 1];
    if (max <= 0) {
      return;
    }
    boolean aqeSkewed = max > AQE_SKEW_FACTOR * median && max > AQE_SKEW_BYTES;
    double ratio = median == 0 ? Double.POSITIVE_INFINITY : (double) max / median;
    Severity sev;
    if (aqeSkewed) {
      sev = max > 4 * AQE_SKEW_BYTES ? Severity.CRITICAL : Severity.SEVERE;
    } else if (ratio > AQE_SKEW_FACTOR && max > PARTITION_TARGET_LOW) {
      sev = Severity.LOW;
    } else {
      sev = Severity.NONE;
    }
    advice.finding(id, title, sev,
        stageLabel(s) + ": largest task reads " + bytes(max) + " vs median " + bytes(median) + (aqeSkewed
            ? " (skewed by Spark's AQE rule: > 5 x median and > 256 MB)" : " (" + (median == 0 ? "median 0" : fmt(ratio) + "x") + ")"),
        id.equals("input-skew")
            ? "Input splits are uneven (unsplittable or uneven files): repartition after reading, or rewrite the input into even files."
            : "A few keys hold most of the data: let AQE split skewed partitions, or salt the hot keys.",
        s.stageId);
    if (sev.compareTo(Severity.SEVERE) >= 0 && id.equals("shuffle-read-skew")) {
      advice.conf(id, "spark.sql.adaptive.enabled", "true", "adaptive query execution re-plans at shuffle boundaries");
      advice.conf(id, "spark.sql.adaptive.skewJoin.enabled", "true", "splits partitions larger than 5 x median and 256 MB into smaller tasks");
    }
  }

  // ---- spill ----

  private void spill() {
    long processed = 0;
    long disk = 0;
    long memory = 0;
    StageData worst = null;
    for (StageData s : app.stages.values()) {
      processed += s.inputBytes + s.shuffleReadBytes;
      disk += s.diskBytesSpilled;
      memory += s.memoryBytesSpilled;
      if (worst == null || s.diskBytesSpilled > worst.diskBytesSpilled) {
        worst = s;
      }
    }
    // Ours: under 64 MB of disk spill in all is not worth a change
    if (disk < 64 * Units.MB || processed == 0) {
      return;
    }
    double ratio = (double) disk / processed;
    // Ours: disk spill as a share of the bytes the stages read (no published grading exists).
    Severity sev = Advice.grade(ratio, 0.05, 0.2, 0.5, 1.0);
    advice.finding("spill", "Spill to disk", sev,
        bytes(disk) + " spilled to disk (" + bytes(memory) + " in memory form) for " + bytes(processed) + " read (" + percent(ratio)
            + "); most in " + stageLabel(worst) + " (" + bytes(worst.diskBytesSpilled) + ")",
        "Give each task less data (more shuffle partitions) or more execution memory.", worst.stageId);
    if (sev.compareTo(Severity.MODERATE) >= 0) {
      long total = worst.shuffleReadBytes > 0 ? worst.shuffleReadBytes : worst.inputBytes;
      int partitions = (int) Math.max(worst.numTasks * 2L, ceilDiv(total, PARTITION_TARGET_LOW));
      advice.conf("spill", "spark.sql.shuffle.partitions", String.valueOf(partitions), "smaller partitions fit in execution memory and spill less");
      advice.conf("spill", "spark.memory.fraction", "0.7", "more of the heap for execution and storage (default 0.6)");
    }
  }

  // ---- shuffle partitions ----

  private void partitions() {
    int slots = res.observedExecutors() * res.coresPerExecutor();
    StageData tooMany = null;
    StageData tooFew = null;
    for (StageData s : app.stages.values()) {
      if (s.shuffleReadBytes == 0 || s.numCompleteTasks < 2) {
        continue;
      }
      long avg = s.shuffleReadBytes / s.numCompleteTasks;
      if (avg < PARTITION_TARGET_LOW / 8 && s.numCompleteTasks > Math.max(2 * slots, 200)) {
        if (tooMany == null || s.numCompleteTasks > tooMany.numCompleteTasks) {
          tooMany = s;
        }
      } else if (avg > PARTITION_TARGET_HIGH) {
        if (tooFew == null || avg > tooFew.shuffleReadBytes / tooFew.numCompleteTasks) {
          tooFew = s;
        }
      }
    }
    if (tooFew != null) {
      long avg = tooFew.shuffleReadBytes / tooFew.numCompleteTasks;
      int target = (int) ceilDiv(tooFew.shuffleReadBytes, PARTITION_TARGET);
      Severity sev = Advice.grade(avg, PARTITION_TARGET_HIGH, 512 * Units.MB, Units.GB, 2 * Units.GB);
      advice.finding("shuffle-partitions-too-few", "Too few shuffle partitions", sev,
          stageLabel(tooFew) + ": " + tooFew.numCompleteTasks + " partitions of " + bytes(avg) + " on average (" + bytes(tooFew.shuffleReadBytes)
              + " in all); target 64-200 MB",
          "Use about " + target + " partitions so each holds about 128 MB.", tooFew.stageId);
      advice.conf("shuffle-partitions-too-few", "spark.sql.shuffle.partitions", String.valueOf(target), "partitions of about 128 MB: less spill, more parallelism");
    }
    if (tooMany != null) {
      long avg = tooMany.shuffleReadBytes / tooMany.numCompleteTasks;
      int target = (int) Math.max(slots, ceilDiv(tooMany.shuffleReadBytes, PARTITION_TARGET));
      double excess = (double) tooMany.numCompleteTasks / Math.max(1, target);
      Severity sev = Advice.grade(excess, 2, 8, 32, 128);
      advice.finding("shuffle-partitions-too-many", "Too many tiny shuffle partitions", sev,
          stageLabel(tooMany) + ": " + tooMany.numCompleteTasks + " partitions of " + bytes(avg) + " on average, for " + slots
              + " task slots; target 64-200 MB",
          "Use about " + target + " partitions, or let AQE coalesce them.", tooMany.stageId);
      advice.conf("shuffle-partitions-too-many", "spark.sql.adaptive.coalescePartitions.enabled", "true", "AQE merges small shuffle partitions toward 64 MB");
      advice.conf("shuffle-partitions-too-many", "spark.sql.shuffle.partitions", String.valueOf(target), "fewer tasks: less scheduling overhead");
    }
  }

  // ---- executors ----

  private void provisioning() {
    if (res.local() || sim.executorTime() <= 0) {
      return;
    }
    long available = 0;
    int idle = 0;
    int total = 0;
    long end = app.effectiveEnd();
    for (ExecutorData e : app.executors.values()) {
      if (e.isDriver()) {
        continue;
      }
      total++;
      long life = Math.max(0, (e.removeTime > 0 ? e.removeTime : end) - e.addTime);
      available += life * Math.max(1, e.totalCores);
      if (e.completedTasks + e.failedTasks == 0) {
        idle++;
      }
    }
    if (available == 0) {
      return;
    }
    double util = (double) sim.taskTime() / available;
    boolean dynamic = propIs("spark.dynamicAllocation.enabled", "true", false);
    // Ours: Sparklens reports core utilization without grading it.
    Severity sev = Advice.gradeBelow(util, 0.6, 0.4, 0.2, 0.1);
    advice.finding("executor-utilization", "Executors mostly idle", sev,
        "tasks used " + percent(util) + " of the executor core time available (" + millis(sim.taskTime()) + " of " + millis(available)
            + " core-ms over " + total + " executors)",
        "Run fewer executors, or let dynamic allocation release idle ones.", null);
    if (sev.compareTo(Severity.MODERATE) >= 0) {
      if (dynamic) {
        advice.conf("executor-utilization", "spark.dynamicAllocation.executorIdleTimeout", "30s", "release idle executors sooner (default 60s)");
      } else if (sim.recommendedExecutors() < sim.observedExecutors()) {
        advice.conf("executor-utilization", "spark.executor.instances", String.valueOf(sim.recommendedExecutors()),
            "the simulation's smallest count within 10% of the fastest time (utilization " + percent(sim.recommendedUtilization()) + ")");
      }
    }
    if (idle > 0) {
      Severity s = Advice.grade((double) idle / total, 0.0001, 0.1, 0.3, 0.5);
      advice.finding("idle-executors", "Executors that ran no task", s, idle + " of " + total + " executors never ran a task",
          "Request fewer executors or enable dynamic allocation.", null);
    }
    if (dynamic && prop("spark.dynamicAllocation.maxExecutors") == null) {
      advice.finding("dynamic-allocation-unbounded", "Dynamic allocation without a maximum", Severity.LOW,
          "spark.dynamicAllocation.enabled=true and spark.dynamicAllocation.maxExecutors unset (default: unlimited)",
          "Bound it so one job cannot take the whole cluster.", null);
      advice.conf("dynamic-allocation-unbounded", "spark.dynamicAllocation.maxExecutors", String.valueOf(Math.max(sim.recommendedExecutors(), sim.observedExecutors())),
          "caps the executors one application can hold");
    }
    if (!dynamic && sev.compareTo(Severity.MODERATE) >= 0) {
      advice.conf("executor-utilization", "spark.dynamicAllocation.enabled", "true", "executors follow the work instead of staying allocated");
      advice.conf("executor-utilization", "spark.dynamicAllocation.shuffleTracking.enabled", "true", "dynamic allocation without an external shuffle service (Spark 3.0+)");
    }
    // under-provisioned: busy cores and the simulation says more executors would help a lot
    if (util > 0.8) {
      Report.Estimate observed = sim.estimates().stream().filter(e -> e.executors() == sim.observedExecutors()).findFirst().orElse(null);
      Report.Estimate doubled = sim.estimates().stream().filter(e -> e.factor() == 2.0).findFirst().orElse(null);
      if (observed != null && doubled != null && doubled.estimatedTime() < observed.estimatedTime() * 0.7) {
        advice.finding("executors-too-few", "Too few executors", Severity.MODERATE,
            "cores busy " + percent(util) + " of the time; twice the executors would take about " + millis(doubled.estimatedTime()) + " instead of "
                + millis(observed.estimatedTime()),
            "Add executors.", null);
        advice.conf("executors-too-few", "spark.executor.instances", String.valueOf(doubled.executors()), "shorter wall time, per the simulation");
      }
    }
  }

  // ---- GC ----

  private void gc() {
    long run = 0;
    long gc = 0;
    for (StageData s : app.stages.values()) {
      run += s.executorRunTime;
      gc += s.jvmGcTime;
    }
    if (run < 60_000) {
      return; // too little work to judge
    }
    double ratio = (double) gc / run;
    // Dr. Elephant ExecutorGcHeuristic: GC time / run time, too high at 0.08, 0.1, 0.15, 0.2
    Severity high = Advice.grade(ratio, 0.08, 0.1, 0.15, 0.2);
    if (high != Severity.NONE) {
      advice.finding("gc-high", "High GC time", high, "JVM GC took " + percent(ratio) + " of executor run time (" + millis(gc) + " of " + millis(run) + ")",
          "Give executors more memory, cache less, or use fewer cores per executor.", null);
      if (high.compareTo(Severity.MODERATE) >= 0) {
        // Java 8's default collector is Parallel GC; from Java 9 on G1 is already the default
        String options = prop("spark.executor.extraJavaOptions");
        boolean java8 = app.javaVersion != null && app.javaVersion.startsWith("1.8");
        if (java8 && (options == null || !options.contains("GC"))) {
          advice.conf("gc-high", "spark.executor.extraJavaOptions", options == null ? "-XX:+UseG1GC" : "'" + options + " -XX:+UseG1GC'",
              "G1 keeps pauses short on large heaps (Java 8 uses Parallel GC by default)");
        }
        long mem = Units.mebibytes(prop("spark.executor.memory"));
        if (mem > 0) {
          advice.conf("gc-high", "spark.executor.memory", (mem * 3 / 2 / 1024 > 0 ? (mem * 3 / 2 / 1024) + "g" : (mem * 3 / 2) + "m"),
              "50% more heap: fewer collections");
        }
      }
    } else if (run >= 3_600_000) {
      // Dr. Elephant ExecutorGcHeuristic: too low at 0.05, 0.04, 0.03, 0.01; only a saving, so at most low
      Severity low = Advice.gradeBelow(ratio, 0.01, 0.005, 0.001, 0.0005);
      advice.finding("gc-low", "Very little GC time", low.compareTo(Severity.LOW) > 0 ? Severity.LOW : low,
          "JVM GC took only " + String.format(Locale.ROOT, "%.2f%%", ratio * 100) + " of executor run time",
          "Executors may have more memory than they need; try a smaller spark.executor.memory.", null);
    }
  }

  // ---- driver ----

  private void driverTime() {
    if (wall < 60_000) {
      return;
    }
    double share = (double) sim.driverTime() / wall;
    // Sparklens separates driver time from executor time; the grading is ours.
    Severity sev = Advice.grade(share, 0.25, 0.4, 0.6, 0.8);
    advice.finding("driver-time", "Time spent on the driver", sev,
        millis(sim.driverTime()) + " of " + millis(wall) + " (" + percent(share) + ") passed outside any job: executors waited for the driver",
        "Move driver-side work (collect, toPandas, planning, file listing, Python) into Spark jobs, or release executors meanwhile.", null);
  }

  // ---- failures ----

  private void failures() {
    int failedTasks = 0;
    int tasks = 0;
    Map<String, Integer> reasons = new TreeMap<>();
    for (StageData s : app.stages.values()) {
      failedTasks += s.numFailedTasks;
      tasks += s.numCompleteTasks + s.numFailedTasks + s.numKilledTasks;
      s.failures.forEach((k, v) -> reasons.merge(k, v, Integer::sum));
    }
    if (failedTasks > 0) {
      double rate = (double) failedTasks / Math.max(1, tasks);
      // Ours: any failure is worth a look; a tenth of the tasks failing wastes a tenth of the work.
      Severity sev = Advice.grade(rate, 0, 0.05, 0.2, 0.5);
      if (sev == Severity.NONE) {
        sev = Severity.LOW;
      }
      advice.finding("failed-tasks", "Failed tasks", sev, failedTasks + " of " + tasks + " task attempts failed (" + percent(rate) + "): " + top(reasons),
          oom(reasons.keySet().toString()) ? "Tasks ran out of memory: give executors more memory or tasks less data." : "See the reasons; retries cost time.", null);
      if (oom(reasons.keySet().toString())) {
        advice.conf("failed-tasks", "spark.executor.memoryOverhead", overhead(), "more off-heap room per executor");
      }
    }
    StringBuilder failedStages = new StringBuilder();
    int nStages = 0;
    for (StageData s : app.stages.values()) {
      if ("FAILED".equals(s.status)) {
        nStages++;
        if (nStages <= 5) {
          failedStages.append(nStages > 1 ? "; " : "").append(stageLabel(s)).append(": ").append(s.failureReason);
        }
      }
    }
    if (nStages > 0) {
      advice.finding("failed-stages", "Failed stages", nStages >= 3 ? Severity.SEVERE : Severity.MODERATE,
          count(nStages, "stage attempt") + " failed: " + failedStages,
          "Failed stages are re-run: fix the cause (often lost shuffle output or fetch failures).", null);
    }
    StringBuilder failedJobs = new StringBuilder();
    int nJobs = 0;
    for (JobData j : app.jobs.values()) {
      if ("FAILED".equals(j.status)) {
        nJobs++;
        if (nJobs <= 5) {
          failedJobs.append(nJobs > 1 ? "; " : "").append("job ").append(j.jobId).append(": ").append(j.failure);
        }
      }
    }
    if (nJobs > 0) {
      advice.finding("failed-jobs", "Failed jobs", Severity.CRITICAL, count(nJobs, "job") + " failed: " + failedJobs, "The application lost work; fix the first failure.", null);
    }
  }

  private void executorLosses() {
    int lost = 0;
    int oom = 0;
    Map<String, Integer> reasons = new TreeMap<>();
    for (ExecutorData e : app.executors.values()) {
      if (!e.removed || e.removeReason == null) {
        continue;
      }
      String r = e.removeReason;
      // dynamic allocation releasing an idle executor is not a loss
      if (r.contains("is idle") || r.contains("Executor killed by driver") || r.contains("decommission")) {
        continue;
      }
      lost++;
      if (oom(r)) {
        oom++;
      }
      String key = r.length() > 120 ? r.substring(0, 120) + "..." : r;
      reasons.merge(key, 1, Integer::sum);
    }
    if (lost == 0) {
      return;
    }
    Severity sev = oom > 0 ? Severity.SEVERE : (lost >= 3 ? Severity.MODERATE : Severity.LOW);
    advice.finding("executors-lost", "Executors lost", sev, count(lost, "executor") + " removed unexpectedly" + (oom > 0 ? " (" + oom + " out of memory)" : "")
        + ": " + top(reasons), oom > 0 ? "Executors exceeded their memory: raise the memory overhead or the executor memory." : "Check the cluster manager's logs.", null);
    if (oom > 0) {
      advice.conf("executors-lost", "spark.executor.memoryOverhead", overhead(), "more off-heap room: containers are not killed for exceeding their limit");
    }
  }

  private String overhead() {
    long mem = Units.mebibytes(prop("spark.executor.memory"));
    long current = Units.mebibytes(prop("spark.executor.memoryOverhead"));
    // Spark's default overhead: max(384 MB, 10% of executor memory)
    long base = current > 0 ? current : Math.max(384, mem > 0 ? mem / 10 : 384);
    return (base * 2) + "m";
  }

  static boolean oom(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    return t.contains("outofmemory") || t.contains("out of memory") || t.contains("exceeding memory limits") || t.contains("exceeding physical memory")
        || t.contains("exit code 137") || t.contains("exit code: 137") || t.contains("oomkilled") || t.contains("exit status: 143");
  }

  private static String top(Map<String, Integer> counts) {
    StringBuilder b = new StringBuilder();
    counts.entrySet().stream().sorted((a, c) -> c.getValue() - a.getValue()).limit(3).forEach(e -> {
      if (!b.isEmpty()) {
        b.append("; ");
      }
      b.append(e.getValue()).append(" x ").append(e.getKey());
    });
    return b.toString();
  }

  // ---- stragglers and speculation ----

  private void stragglers() {
    int stragglers = 0;
    long lostTime = 0;
    int speculative = 0;
    StageData worst = null;
    int worstCount = 0;
    for (StageData s : app.stages.values()) {
      speculative += s.numSpeculativeTasks;
      if (s.durations.size() < 10) {
        continue;
      }
      long[] d = s.durations.sorted();
      long median = quantile(d, 0.5);
      // Spark speculation: a task is slow at spark.speculation.multiplier (1.5) x the median; ours:
      // and at least 10 s slower, so short tasks do not count
      long limit = Math.max((long) (median * 1.5), median + 10_000);
      int count = 0;
      for (long v : d) {
        if (v > limit) {
          count++;
          lostTime += v - median;
        }
      }
      stragglers += count;
      if (count > worstCount) {
        worst = s;
        worstCount = count;
      }
    }
    boolean speculation = propIs("spark.speculation", "true", false);
    if (stragglers > 0 && worst != null) {
      double share = wall > 0 ? (double) lostTime / Math.max(1, sim.taskTime()) : 0;
      Severity sev = Advice.grade(share, 0.0, 0.05, 0.15, 0.3);
      advice.finding("stragglers", "Straggler tasks", sev == Severity.NONE ? Severity.LOW : sev,
          stragglers + " tasks ran over 1.5 x their stage's median (and 10 s more); most in " + stageLabel(worst) + " (" + worstCount + ")"
              + (speculation ? "; speculation is on (" + speculative + " speculative attempts)" : "; speculation is off"),
          speculation ? "Stragglers remain despite speculation: look for skew or bad nodes." : "Turn on speculation so slow tasks are re-launched elsewhere.",
          worst.stageId);
      if (!speculation) {
        advice.conf("stragglers", "spark.speculation", "true", "slow tasks get a second attempt on another executor");
      }
    }
  }

  // ---- output files ----

  private void smallFiles() {
    StageData worst = null;
    for (StageData s : app.stages.values()) {
      if (s.tasksWithOutput >= 100 && s.outputBytes / s.tasksWithOutput < 32 * Units.MB) {
        if (worst == null || s.tasksWithOutput > worst.tasksWithOutput) {
          worst = s;
        }
      }
    }
    if (worst == null) {
      return;
    }
    long avg = worst.outputBytes / worst.tasksWithOutput;
    // Ours: each writing task writes at least one file; files much smaller than an HDFS/S3 block
    // (128 MB) slow down every later read.
    Severity sev = Advice.grade(worst.tasksWithOutput, 100, 1000, 10_000, 100_000);
    advice.finding("small-output-files", "Many small output files", sev,
        stageLabel(worst) + ": " + worst.tasksWithOutput + " tasks wrote output, " + bytes(avg) + " each on average (" + bytes(worst.outputBytes) + " in all)",
        "Coalesce or repartition before writing so files are about 128 MB-1 GB.", worst.stageId);
    advice.conf("small-output-files", "spark.sql.adaptive.coalescePartitions.enabled", "true", "fewer, larger partitions before the write");
    advice.conf("small-output-files", "spark.sql.adaptive.advisoryPartitionSizeInBytes", "128m", "AQE aims for 128 MB partitions (default 64 MB)");
  }

  // ---- joins ----

  private void joins() {
    long threshold = BROADCAST_DEFAULT;
    String t = prop("spark.sql.autoBroadcastJoinThreshold");
    if (t != null) {
      try {
        threshold = Long.parseLong(t.strip());
      } catch (NumberFormatException e) {
        long mb = Units.mebibytes(t);
        threshold = mb > 0 ? mb * Units.MB : threshold;
      }
    }
    for (SqlData q : app.sql.values()) {
      for (long[] sides : q.sortMergeJoinSides) {
        Long left = app.accumulatorValues.get(sides[0]);
        Long right = app.accumulatorValues.get(sides[1]);
        if (left == null || right == null) {
          continue;
        }
        long small = Math.min(left, right);
        long large = Math.max(left, right);
        // Ours: a side up to 10 x the broadcast threshold (and 10 x smaller than the other side)
        // broadcasts well; the metric is the shuffled size, close to what a broadcast would carry.
        if (small > 0 && small <= Math.max(threshold, 0) * 10 && small * 10 <= large && small <= 1024 * Units.MB) {
          advice.finding("broadcastable-join", "Sort-merge join with a small side", Severity.MODERATE,
              "SQL " + q.executionId + " ('" + shorten(q.description) + "'): sort-merge join of " + bytes(small) + " with " + bytes(large)
                  + "; the broadcast threshold is " + bytes(threshold),
              "Broadcast the small side: raise the threshold or add a broadcast hint.", null);
          long mb = Math.max(16, Long.highestOneBit(small / Units.MB) * 2);
          advice.conf("broadcastable-join", "spark.sql.autoBroadcastJoinThreshold", mb + "m", "joins with a side under " + mb + " MB avoid shuffling the large side");
          return;
        }
      }
    }
  }

  private static String shorten(String s) {
    String one = s.replace('\n', ' ');
    return one.length() > 60 ? one.substring(0, 60) + "..." : one;
  }

  // ---- configuration ----

  private void aqe() {
    if (app.sql.isEmpty()) {
      return;
    }
    String v = prop("spark.sql.adaptive.enabled");
    // AQE is on by default since Spark 3.2.0 (SPARK-33679), off before
    boolean defaultOn = versionAtLeast(app.sparkVersion, 3, 2);
    boolean on = v == null ? defaultOn : v.strip().equalsIgnoreCase("true");
    boolean supported = versionAtLeast(app.sparkVersion, 3, 0);
    if (!on && supported) {
      advice.finding("aqe-disabled", "Adaptive query execution is off", Severity.MODERATE,
          "spark.sql.adaptive.enabled=" + (v == null ? "false (default before Spark 3.2)" : v) + " with " + app.sql.size() + " SQL executions",
          "Enable AQE: it coalesces partitions, splits skew and switches joins to broadcast at run time.", null);
      advice.conf("aqe-disabled", "spark.sql.adaptive.enabled", "true", "run-time re-planning of SQL queries");
    }
  }

  private void serializer() {
    String s = prop("spark.serializer");
    boolean rddJobs = app.jobs.values().stream().anyMatch(j -> j.sqlExecutionId == null);
    if (rddJobs && (s == null || !s.contains("KryoSerializer"))) {
      advice.finding("java-serializer", "Java serialization for RDDs", Severity.LOW,
          "spark.serializer=" + (s == null ? "org.apache.spark.serializer.JavaSerializer (default)" : s) + " and the application runs RDD jobs",
          "Kryo is faster and more compact for RDD shuffles and caching (DataFrames use their own encoders).", null);
      advice.conf("java-serializer", "spark.serializer", "org.apache.spark.serializer.KryoSerializer", "smaller, faster serialized RDD data");
    }
  }

  private void longStages() {
    if (wall < 60_000) {
      return;
    }
    for (StageData s : app.stages.values()) {
      double share = (double) s.duration() / wall;
      // Sparklens points at stages that dominate the critical path; the grading is ours.
      Severity sev = Advice.grade(share, 0.3, 0.5, 0.75, 0.9);
      if (sev.compareTo(Severity.LOW) >= 0) {
        advice.finding("long-stage", "One stage dominates", sev, stageLabel(s) + " took " + millis(s.duration()) + " of " + millis(wall) + " (" + percent(share) + ")",
            "Speeding up the application means speeding up this stage: see its skew, spill and partition findings.", s.stageId);
      }
    }
  }

  static boolean versionAtLeast(String version, int major, int minor) {
    if (version == null) {
      return false;
    }
    String[] parts = version.split("[.\\-]");
    try {
      int ma = Integer.parseInt(parts[0]);
      int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return ma > major || (ma == major && mi >= minor);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static long ceilDiv(long a, long b) {
    return Math.max(1, (a + b - 1) / b);
  }

  private static String fmt(double d) {
    return String.format(Locale.ROOT, "%.1f", d);
  }
}
