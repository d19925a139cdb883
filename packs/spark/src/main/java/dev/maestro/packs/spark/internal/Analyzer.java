package dev.maestro.packs.spark.internal;

import dev.maestro.packs.spark.SparkSettings;
import dev.maestro.packs.spark.internal.Report.Application;
import dev.maestro.packs.spark.internal.Report.Attempt;
import dev.maestro.packs.spark.internal.Report.Executor;
import dev.maestro.packs.spark.internal.Report.Job;
import dev.maestro.packs.spark.internal.Report.Quantiles;
import dev.maestro.packs.spark.internal.Report.Simulation;
import dev.maestro.packs.spark.internal.Report.Sql;
import dev.maestro.packs.spark.internal.Report.Stage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Builds the {@link Report} of an application from the attempts read from its logs. */
final class Analyzer {
  private Analyzer() {}

  /** @param attempts the attempts of one application, oldest first; the last one is analysed */
  static Report analyze(List<AppData> attempts, SparkSettings settings) {
    AppData app = attempts.getLast();
    Simulator.Resources res = Simulator.Resources.of(app);
    Simulation sim = Simulator.simulate(app, res);
    Advice advice = Findings.diagnose(app, sim, res);
    List<String> warnings = new ArrayList<>();
    for (AppData a : attempts) {
      String prefix = attempts.size() > 1 ? "attempt " + a.attemptId + ": " : "";
      a.warnings.forEach(w -> warnings.add(prefix + w));
      if (a.malformedLines > 0) {
        warnings.add(prefix + a.malformedLines + " malformed lines skipped (line " + joinLines(a.malformedLineNumbers) + ")");
      }
      if (!a.sawLogStart) {
        warnings.add(prefix + "no SparkListenerLogStart event: the log does not start as Spark writes logs; it may be cut at the start");
      }
      if (a.endTime == 0) {
        warnings.add(prefix + (a.source.inProgress() ? "the application was still running when the log was read (.inprogress)"
            : "no SparkListenerApplicationEnd event: the log is incomplete (in progress, or the driver died); times run to the last event"));
      }
    }
    return new Report(application(attempts), jobs(app), stages(app), executors(app), sql(app), advice.findings(), advice.recommendations(), sim,
        CostModel.cost(app, res, settings), List.copyOf(warnings));
  }

  private static String joinLines(LongList lines) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(lines.get(i));
    }
    return b.toString();
  }

  private static Application application(List<AppData> attempts) {
    AppData app = attempts.getLast();
    List<Attempt> list = new ArrayList<>();
    for (AppData a : attempts) {
      list.add(new Attempt(a.attemptId, a.effectiveStart(), a.effectiveEnd(), Math.max(0, a.effectiveEnd() - a.effectiveStart()), a.endTime > 0, a.sparkVersion,
          a.source.location().toString()));
    }
    List<Long> lines = new ArrayList<>();
    for (int i = 0; i < app.malformedLineNumbers.size(); i++) {
      lines.add(app.malformedLineNumbers.get(i));
    }
    return new Application(app.appId, app.appName, app.attemptId, list, app.sparkVersion, app.user, app.effectiveStart(), app.effectiveEnd(),
        Math.max(0, app.effectiveEnd() - app.effectiveStart()), app.endTime > 0, app.source.location().toString(), app.bytes, app.events, app.malformedLines,
        lines, sorted(app.properties));
  }

  private static List<Job> jobs(AppData app) {
    List<Job> jobs = new ArrayList<>();
    for (JobData j : app.jobs.values()) {
      String name = j.description;
      if (name == null) {
        // Spark names a job after its last stage
        StageData last = null;
        for (int id : j.stageIds) {
          StageData s = app.stages.get(AppData.stageKey(id, 0));
          if (s != null && (last == null || s.stageId > last.stageId)) {
            last = s;
          }
        }
        name = last == null ? "" : last.name;
      }
      jobs.add(new Job(j.jobId, name, j.submissionTime, j.completionTime, List.copyOf(j.stageIds), j.status, j.numTasks, j.numCompletedTasks,
          j.numFailedTasks, j.numKilledTasks, j.sqlExecutionId, j.failure));
    }
    return jobs;
  }

  private static List<Stage> stages(AppData app) {
    List<Stage> stages = new ArrayList<>();
    for (StageData s : app.stages.values()) {
      stages.add(new Stage(s.stageId, s.attemptId, s.name, s.status, s.numTasks, s.numCompleteTasks, s.numFailedTasks, s.numKilledTasks,
          s.submissionTime, s.completionTime, s.duration(), s.executorRunTime, s.executorCpuTime, s.jvmGcTime, s.inputBytes, s.inputRecords,
          s.outputBytes, s.outputRecords, s.shuffleReadBytes, s.shuffleReadRecords, s.shuffleMergedRemoteBytesRead, s.shuffleMergedLocalBytesRead,
          s.shuffleWriteBytes, s.shuffleWriteRecords,
          s.memoryBytesSpilled, s.diskBytesSpilled, s.peakExecutionMemory, Arrays.stream(s.parentIds).boxed().toList(), List.copyOf(s.jobIds),
          quantiles(s.durations), quantiles(s.inputBytesPerTask), quantiles(s.shuffleReadPerTask), s.failureReason, sorted(s.failures)));
    }
    return stages;
  }

  private static <V> Map<String, V> sorted(Map<String, V> map) {
    return java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(map));
  }

  static Quantiles quantiles(LongList values) {
    if (values.size() == 0) {
      return null;
    }
    long[] v = values.sorted();
    return new Quantiles(v[0], at(v, 0.25), at(v, 0.5), at(v, 0.75), v[v.length - 1]);
  }

  private static long at(long[] sorted, double q) {
    // AppStatusStore.taskSummary: index min(q * count, count - 1)
    return sorted[(int) Math.min((long) (q * sorted.length), sorted.length - 1)];
  }

  private static List<Executor> executors(AppData app) {
    List<Executor> list = new ArrayList<>();
    double taskCpus = 1;
    String cpus = app.properties.get("spark.task.cpus");
    if (cpus != null) {
      try {
        taskCpus = Math.max(1, Double.parseDouble(cpus.strip()));
      } catch (NumberFormatException e) {
        taskCpus = 1;
      }
    }
    for (ExecutorData e : app.executors.values()) {
      double[] profile = app.resourceProfiles.get(e.resourceProfileId);
      double cpusPerTask = profile != null && profile[3] > 0 ? profile[3] : taskCpus;
      // AppStatusStore.replaceExec: the REST API gives the driver the application's time as its
      // totalDuration, and its own GC time (from its peak metrics) when the log has it
      long duration = e.isDriver() ? Math.max(0, app.effectiveEnd() - app.effectiveStart()) : e.totalDuration;
      long gc = e.isDriver() && app.driverGcTime >= 0 ? app.driverGcTime : e.totalGcTime;
      list.add(new Executor(e.id, e.hostPort != null ? e.hostPort : e.host, !e.removed, e.totalCores, (int) (e.totalCores / cpusPerTask), e.maxMemory,
          e.addTime, e.removed ? e.removeTime : null, e.removeReason, e.resourceProfileId, e.completedTasks, e.failedTasks, duration,
          gc, e.totalInputBytes, e.totalShuffleRead, e.totalShuffleWrite));
    }
    return list;
  }

  private static List<Sql> sql(AppData app) {
    List<Sql> list = new ArrayList<>();
    for (SqlData q : app.sql.values()) {
      String status = q.endTime == 0 ? "RUNNING" : q.errorMessage != null ? "FAILED" : "COMPLETED";
      list.add(new Sql(q.executionId, q.description, q.startTime, q.endTime > 0 ? q.endTime - q.startTime : 0, status, List.copyOf(q.jobIds),
          sorted(q.joins), List.copyOf(q.scans), q.errorMessage));
    }
    return list;
  }
}
