package dev.maestro.packs.spark.internal;

import java.util.List;
import java.util.Map;

/**
 * The analysis of one Spark application. Field names and meanings follow Spark's monitoring REST
 * API (/api/v1) wherever it reports the same quantity, so numbers can be compared with the History
 * Server's: times in ms since the epoch or ms durations, CPU times in ns, sizes in bytes.
 */
public record Report(
    Application application,
    List<Job> jobs,
    List<Stage> stages,
    List<Executor> executors,
    List<Sql> sql,
    List<Finding> findings,
    List<Recommendation> recommendations,
    Simulation simulation,
    Cost cost,
    List<String> warnings) {

  /** What the application was; {@code duration} is end minus start (last event time while in progress). */
  public record Application(
      String id,
      String name,
      String attemptId,
      List<Attempt> attempts,
      String sparkVersion,
      String sparkUser,
      long startTime,
      long endTime,
      long duration,
      boolean completed,
      String source,
      long logBytes,
      long events,
      long malformedLines,
      List<Long> malformedLineNumbers,
      Map<String, String> sparkProperties) {}

  /** One attempt of the application, as /applications/{id} lists them. */
  public record Attempt(String attemptId, long startTime, long endTime, long duration, boolean completed, String appSparkVersion, String source) {}

  /** /applications/{id}/jobs. */
  public record Job(
      int jobId,
      String name,
      long submissionTime,
      long completionTime,
      List<Integer> stageIds,
      String status,
      int numTasks,
      int numCompletedTasks,
      int numFailedTasks,
      int numKilledTasks,
      Long sqlExecutionId,
      String failureReason) {}

  /** /applications/{id}/stages, one entry per attempt; {@code taskDuration} summarises successful tasks. */
  public record Stage(
      int stageId,
      int attemptId,
      String name,
      String status,
      int numTasks,
      int numCompleteTasks,
      int numFailedTasks,
      int numKilledTasks,
      long submissionTime,
      long completionTime,
      long duration,
      long executorRunTime,
      long executorCpuTime,
      long jvmGcTime,
      long inputBytes,
      long inputRecords,
      long outputBytes,
      long outputRecords,
      long shuffleReadBytes,
      long shuffleReadRecords,
      long shuffleMergedRemoteBytesRead,
      long shuffleMergedLocalBytesRead,
      long shuffleWriteBytes,
      long shuffleWriteRecords,
      long memoryBytesSpilled,
      long diskBytesSpilled,
      long peakExecutionMemory,
      List<Integer> parentIds,
      List<Integer> jobIds,
      Quantiles taskDuration,
      Quantiles taskInputBytes,
      Quantiles taskShuffleReadBytes,
      String failureReason,
      Map<String, Integer> taskFailures) {}

  /** Minimum, quartiles and maximum (Spark's task summary quantiles 0, 0.25, 0.5, 0.75, 1). */
  public record Quantiles(long min, long p25, long median, long p75, long max) {}

  /** /applications/{id}/allexecutors. */
  public record Executor(
      String id,
      String hostPort,
      boolean isActive,
      int totalCores,
      int maxTasks,
      long maxMemory,
      long addTime,
      Long removeTime,
      String removeReason,
      int resourceProfileId,
      int completedTasks,
      int failedTasks,
      long totalDuration,
      long totalGCTime,
      long totalInputBytes,
      long totalShuffleRead,
      long totalShuffleWrite) {}

  /** /applications/{id}/sql, with the joins and scans of its final plan. */
  public record Sql(long id, String description, long submissionTime, long duration, String status, List<Integer> jobIds,
                    Map<String, Integer> joins, List<String> scans, String errorMessage) {}

  /** Something worth knowing about the application, how bad it is, and what shows it. */
  public record Finding(String id, String title, Severity severity, String evidence, String recommendation, Integer stageId) {}

  /** A configuration change: {@code --conf key=value}, what it should do, and the findings behind it. */
  public record Recommendation(String key, String value, String conf, String effect, List<String> findings) {}

  /** Sparklens-style replay of the tasks over fewer or more executors. */
  public record Simulation(
      long wallClockTime,
      long driverTime,
      long executorTime,
      long criticalPath,
      long idealTime,
      int observedExecutors,
      int coresPerExecutor,
      long taskTime,
      List<Estimate> estimates,
      int recommendedExecutors,
      double recommendedUtilization,
      String method) {}

  /** Estimated wall time with {@code executors} executors; {@code utilization} of their cores. */
  public record Estimate(double factor, int executors, long estimatedTime, double utilization) {}

  /** Resource use and its price. */
  public record Cost(
      double coreHours,
      double coreHoursUsed,
      double coreHoursWasted,
      double memoryGbHours,
      double memoryGbHoursWasted,
      String instanceType,
      double pricePerHour,
      double estimatedCost,
      double wastedCost,
      String currency,
      String method) {}

  /** How bad a finding is, in Dr. Elephant's five grades. */
  public enum Severity {
    NONE, LOW, MODERATE, SEVERE, CRITICAL;

    @com.fasterxml.jackson.annotation.JsonValue
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
