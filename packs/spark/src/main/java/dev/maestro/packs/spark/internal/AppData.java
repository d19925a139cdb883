package dev.maestro.packs.spark.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything read from one event log (one application attempt), kept as Spark's own
 * AppStatusListener keeps it so that totals match the History Server's.
 */
final class AppData {
  final LogSource source;
  String appId;
  String appName;
  String attemptId;
  String sparkVersion;
  String javaVersion;
  String user;
  long startTime;
  long endTime;
  long lastTimestamp;
  long firstTimestamp = Long.MAX_VALUE;
  boolean sawLogStart;
  long events;
  long bytes;
  long lines;
  long malformedLines;
  final LongList malformedLineNumbers = new LongList();
  final List<String> warnings = new ArrayList<>();
  boolean truncated;
  /** The start of line 1 when it is not an event, for the error message. */
  String firstLine;
  /** The driver's "TotalGCTime" peak metric, -1 unless the log has stage executor metrics for it. */
  long driverGcTime = -1;

  final TreeMap<String, String> properties = new TreeMap<>();
  /** resource profile id to {executor cores, executor memory MiB, overhead MiB, task cpus}. */
  final Map<Integer, double[]> resourceProfiles = new HashMap<>();
  final LinkedHashMap<String, ExecutorData> executors = new LinkedHashMap<>();
  final TreeMap<Integer, JobData> jobs = new TreeMap<>();
  final TreeMap<Long, StageData> stages = new TreeMap<>();
  final TreeMap<Long, SqlData> sql = new TreeMap<>();
  final Map<Long, Long> accumulatorValues = new HashMap<>();
  final Set<Long> watchedAccumulators = new HashSet<>();
  private final Set<Integer> liveJobs = new HashSet<>();

  AppData(LogSource source) {
    this.source = source;
  }

  static long stageKey(int stageId, int attemptId) {
    return ((long) stageId << 32) | (attemptId & 0xffffffffL);
  }

  StageData stage(int stageId, int attemptId) {
    return stages.computeIfAbsent(stageKey(stageId, attemptId), k -> new StageData(stageId, attemptId));
  }

  ExecutorData executor(String id, long time) {
    return executors.computeIfAbsent(id, k -> {
      ExecutorData e = new ExecutorData(k);
      e.addTime = time;
      return e;
    });
  }

  void seen(long timestamp) {
    if (timestamp > lastTimestamp) {
      lastTimestamp = timestamp;
    }
    if (timestamp > 0 && timestamp < firstTimestamp) {
      firstTimestamp = timestamp;
    }
  }

  void jobStarted(JobData job, List<StageData> stageInfos) {
    jobs.put(job.jobId, job);
    liveJobs.add(job.jobId);
    int tasks = 0;
    for (StageData s : stageInfos) {
      // AppStatusListener: a job's numTasks counts the tasks of its stages not yet completed
      if (s.completionTime == 0) {
        tasks += s.numTasks;
      }
    }
    job.numTasks = tasks;
    seen(job.submissionTime);
  }

  void jobEnded(int jobId, long time, String status, String failure) {
    JobData job = jobs.get(jobId);
    if (job == null) {
      return;
    }
    liveJobs.remove(jobId);
    job.completionTime = time;
    job.status = status;
    job.failure = failure;
    for (int stageId : job.stageIds) {
      for (StageData s : stages.subMap(stageKey(stageId, 0), true, stageKey(stageId, Integer.MAX_VALUE), true).values()) {
        if ("PENDING".equals(s.status)) {
          s.status = "SKIPPED";
        }
      }
    }
    seen(time);
  }

  void stageSubmitted(StageData stage) {
    stage.status = "ACTIVE";
    stage.jobIds = new ArrayList<>();
    for (int jobId : liveJobs) {
      if (jobs.get(jobId).stageIds.contains(stage.stageId)) {
        stage.jobIds.add(jobId);
      }
    }
    stage.jobIds.sort(null);
    seen(stage.submissionTime);
  }

  void stageCompleted(StageData stage) {
    if (stage.failureReason != null) {
      stage.status = "FAILED";
    } else if (stage.submissionTime > 0) {
      stage.status = "COMPLETE";
    } else {
      stage.status = "SKIPPED";
    }
    seen(stage.completionTime);
  }

  void taskEnded(TaskEnd t) {
    seen(t.finishTime);
    int completed = 0;
    int failed = 0;
    int killed = 0;
    switch (t.reason) {
      case "Success" -> completed = 1;
      case "TaskKilled", "TaskCommitDenied" -> killed = 1;
      default -> failed = 1;
    }
    // AppStatusListener adds metrics only for a task it saw start and not yet end; a Resubmitted
    // end repeats a task that already ended, so its metrics are not added again.
    boolean addMetrics = t.hasMetrics && !"Resubmitted".equals(t.reason);
    StageData s = stages.get(stageKey(t.stageId, t.stageAttemptId));
    if (s != null) {
      s.numCompleteTasks += completed;
      s.numFailedTasks += failed;
      s.numKilledTasks += killed;
      if (t.speculative) {
        s.numSpeculativeTasks++;
      }
      if (t.launchTime > 0 && t.launchTime < s.firstLaunchTime) {
        s.firstLaunchTime = t.launchTime;
      }
      if (addMetrics) {
        s.executorRunTime += t.executorRunTime;
        s.executorCpuTime += t.executorCpuTime;
        s.executorDeserializeTime += t.executorDeserializeTime;
        s.jvmGcTime += t.jvmGcTime;
        s.resultSerializationTime += t.resultSerializationTime;
        s.inputBytes += t.inputBytes;
        s.inputRecords += t.inputRecords;
        s.outputBytes += t.outputBytes;
        s.outputRecords += t.outputRecords;
        s.shuffleReadBytes += t.shuffleReadBytes();
        s.shuffleRemoteBytesRead += t.shuffleRemoteBytesRead;
        s.shuffleMergedRemoteBytesRead += t.mergedRemoteBytesRead;
        s.shuffleMergedLocalBytesRead += t.mergedLocalBytesRead;
        s.shuffleReadRecords += t.shuffleRecordsRead;
        s.shuffleFetchWaitTime += t.shuffleFetchWaitTime;
        s.shuffleWriteBytes += t.shuffleWriteBytes;
        s.shuffleWriteRecords += t.shuffleWriteRecords;
        s.shuffleWriteTime += t.shuffleWriteTime;
        s.memoryBytesSpilled += t.memoryBytesSpilled;
        s.diskBytesSpilled += t.diskBytesSpilled;
        s.peakExecutionMemory = Math.max(s.peakExecutionMemory, t.peakExecutionMemory);
        if (t.outputBytes > 0 || t.outputRecords > 0) {
          s.tasksWithOutput++;
        }
      }
      if (completed == 1) {
        s.durations.add(t.duration());
        s.launchTimes.add(t.launchTime);
        s.inputBytesPerTask.add(t.inputBytes);
        s.shuffleReadPerTask.add(t.shuffleReadBytes());
        s.spillPerTask.add(t.memoryBytesSpilled + t.diskBytesSpilled);
      } else if (failed == 1 && t.failure != null) {
        s.failures.merge(t.failure, 1, Integer::sum);
      }
      for (int jobId : s.jobIds) {
        JobData job = jobs.get(jobId);
        job.numCompletedTasks += completed;
        job.numFailedTasks += failed;
        job.numKilledTasks += killed;
      }
    }
    ExecutorData e = t.executorId == null ? null : executors.get(t.executorId);
    if (e != null && !e.removed) {
      e.completedTasks += completed;
      e.failedTasks += failed;
      e.totalDuration += t.duration();
      if (addMetrics) {
        e.totalGcTime += t.jvmGcTime;
        e.totalInputBytes += t.inputBytes;
        e.totalShuffleRead += t.shuffleReadBytes();
        e.totalShuffleWrite += t.shuffleWriteBytes;
      }
    }
    if (e != null) {
      if (t.launchTime > 0) {
        e.firstTaskLaunch = Math.min(e.firstTaskLaunch, t.launchTime);
      }
      e.lastTaskFinish = Math.max(e.lastTaskFinish, t.finishTime);
    }
  }

  void malformed(long lineNumber) {
    malformedLines++;
    if (malformedLineNumbers.size() < 100) {
      malformedLineNumbers.add(lineNumber);
    }
  }

  /** The start of the application: its start event, else the first time any event carried. */
  long effectiveStart() {
    return startTime > 0 ? startTime : firstTimestamp == Long.MAX_VALUE ? 0 : firstTimestamp;
  }

  /** The end of the application: its end event, else the last time any event carried. */
  long effectiveEnd() {
    return endTime > 0 ? endTime : lastTimestamp;
  }
}
