package dev.maestro.packs.spark.internal;

/**
 * One SparkListenerTaskEnd, filled in place by the parser (one instance per log, reused for every
 * task, so the hot path allocates nothing per task).
 */
final class TaskEnd {
  int stageId;
  int stageAttemptId;
  String reason;
  String failure; // description of a failure, null on success
  long taskId;
  int index;
  long launchTime;
  long finishTime;
  String executorId;
  String host;
  boolean speculative;
  boolean hasMetrics;
  long executorRunTime;
  long executorCpuTime;
  long executorDeserializeTime;
  long jvmGcTime;
  long resultSerializationTime;
  long peakExecutionMemory;
  long memoryBytesSpilled;
  long diskBytesSpilled;
  long inputBytes;
  long inputRecords;
  long outputBytes;
  long outputRecords;
  long shuffleRemoteBytesRead;
  long shuffleLocalBytesRead;
  long shuffleRecordsRead;
  long shuffleFetchWaitTime;
  long shuffleWriteBytes;
  long shuffleWriteRecords;
  long shuffleWriteTime;
  long mergedRemoteBytesRead;
  long mergedLocalBytesRead;

  void reset() {
    stageId = -1;
    stageAttemptId = 0;
    reason = "Success";
    failure = null;
    taskId = -1;
    index = -1;
    launchTime = 0;
    finishTime = 0;
    executorId = null;
    host = null;
    speculative = false;
    hasMetrics = false;
    executorRunTime = executorCpuTime = executorDeserializeTime = jvmGcTime = resultSerializationTime = 0;
    peakExecutionMemory = memoryBytesSpilled = diskBytesSpilled = 0;
    inputBytes = inputRecords = outputBytes = outputRecords = 0;
    shuffleRemoteBytesRead = shuffleLocalBytesRead = shuffleRecordsRead = shuffleFetchWaitTime = 0;
    shuffleWriteBytes = shuffleWriteRecords = shuffleWriteTime = mergedRemoteBytesRead = mergedLocalBytesRead = 0;
  }

  /** TaskInfo.duration: finish minus launch, 0 while unfinished. */
  long duration() {
    return finishTime > 0 ? finishTime - launchTime : 0;
  }

  long shuffleReadBytes() {
    return shuffleRemoteBytesRead + shuffleLocalBytesRead;
  }
}
