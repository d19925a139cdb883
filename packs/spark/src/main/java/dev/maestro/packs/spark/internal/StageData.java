package dev.maestro.packs.spark.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** One stage attempt as the log shows it, summed the way Spark's AppStatusListener sums it. */
final class StageData {
  final int stageId;
  final int attemptId;
  String name = "";
  String details;
  int numTasks;
  int[] parentIds = new int[0];
  long submissionTime;
  long completionTime;
  long firstLaunchTime = Long.MAX_VALUE;
  String status = "PENDING";
  String failureReason;
  List<Integer> jobIds = new ArrayList<>();

  int numCompleteTasks;
  int numFailedTasks;
  int numKilledTasks;
  int numSpeculativeTasks;
  long executorRunTime;
  long executorCpuTime;
  long executorDeserializeTime;
  long jvmGcTime;
  long resultSerializationTime;
  long inputBytes;
  long inputRecords;
  long outputBytes;
  long outputRecords;
  long shuffleReadBytes;
  long shuffleRemoteBytesRead;
  long shuffleMergedRemoteBytesRead;
  long shuffleMergedLocalBytesRead;
  long shuffleReadRecords;
  long shuffleFetchWaitTime;
  long shuffleWriteBytes;
  long shuffleWriteRecords;
  long shuffleWriteTime;
  long memoryBytesSpilled;
  long diskBytesSpilled;
  long peakExecutionMemory;
  long tasksWithOutput;
  final TreeMap<String, Integer> failures = new TreeMap<>();

  // successful tasks only, as Spark's task summaries use
  final LongList durations = new LongList();
  final LongList launchTimes = new LongList();
  final LongList inputBytesPerTask = new LongList();
  final LongList shuffleReadPerTask = new LongList();
  final LongList spillPerTask = new LongList();

  StageData(int stageId, int attemptId) {
    this.stageId = stageId;
    this.attemptId = attemptId;
  }

  /** Wall time from submission to completion, or from first launch to last finish if unknown. */
  long duration() {
    if (submissionTime > 0 && completionTime >= submissionTime) {
      return completionTime - submissionTime;
    }
    return 0;
  }
}
