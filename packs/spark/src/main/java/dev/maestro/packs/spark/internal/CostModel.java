package dev.maestro.packs.spark.internal;

import dev.maestro.packs.spark.SparkSettings;
import dev.maestro.packs.spark.internal.Report.Cost;

/**
 * Core-hours and memory-hours the executors held, how much of it tasks used, and its price: an
 * executor is charged its share of an instance, the larger of its share of the cores and of the
 * memory (the way executors are packed onto machines).
 */
final class CostModel {
  private CostModel() {}

  static Cost cost(AppData app, Simulator.Resources res, SparkSettings settings) {
    long end = app.effectiveEnd();
    double memoryGb = executorMemoryGb(app);
    double coreMs = 0;
    double memoryGbMs = 0;
    long used = 0;
    for (ExecutorData e : app.executors.values()) {
      if (e.isDriver() && !res.local()) {
        continue;
      }
      long life = Math.max(0, (e.removeTime > 0 ? e.removeTime : end) - (e.isDriver() ? app.effectiveStart() : e.addTime));
      int cores = e.totalCores > 0 ? e.totalCores : res.coresPerExecutor();
      coreMs += (double) life * cores;
      memoryGbMs += life * memoryGb;
      used += e.totalDuration;
    }
    double coreHours = coreMs / 3_600_000.0;
    double usedHours = Math.min(coreHours, used / 3_600_000.0);
    double wasted = Math.max(0, coreHours - usedHours);
    double memHours = memoryGbMs / 3_600_000.0;
    double usedShare = coreHours > 0 ? usedHours / coreHours : 0;
    SparkSettings.InstanceType it = settings.instance();
    double perCore = it.pricePerHour() / it.vcpus();
    double perGb = it.pricePerHour() / it.memoryGb();
    double money = Math.max(coreHours * perCore, memHours * perGb);
    return new Cost(r(coreHours), r(usedHours), r(wasted), r(memHours), r(memHours * (1 - usedShare)), settings.instanceType(), it.pricePerHour(),
        money(money), money(money * (1 - usedShare)), settings.currency(),
        "executor lifetime x cores (and x " + r(memoryGb) + " GB executor memory incl. overhead); used = task time; priced as a share of one "
            + settings.instanceType() + " (" + it.vcpus() + " vCPU, " + it.memoryGb() + " GB, " + it.pricePerHour() + " " + settings.currency()
            + "/h): the larger of the core share and the memory share");
  }

  /** spark.executor.memory plus its overhead (Spark's default max(384 MB, 10%)), in GB. */
  static double executorMemoryGb(AppData app) {
    long heap = Units.mebibytes(app.properties.get("spark.executor.memory"));
    if (heap <= 0) {
      double[] profile = app.resourceProfiles.get(0);
      heap = profile != null && profile[1] > 0 ? (long) profile[1] : 1024; // Spark's default 1g
    }
    long overhead = Units.mebibytes(app.properties.get("spark.executor.memoryOverhead"));
    if (overhead <= 0) {
      overhead = Math.max(384, heap / 10);
    }
    return (heap + overhead) / 1024.0;
  }

  private static double money(double v) {
    return Math.round(v * 1_000_000) / 1_000_000.0;
  }

  private static double r(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
