package dev.maestro.packs.spark.internal;

/** One executor (or the driver) and the totals Spark's executors page shows for it. */
final class ExecutorData {
  final String id;
  String host;
  String hostPort;
  int totalCores;
  int resourceProfileId;
  long maxMemory;
  long addTime;
  long removeTime;
  String removeReason;
  boolean removed;
  int completedTasks;
  int failedTasks;
  long totalDuration;
  long totalGcTime;
  long totalInputBytes;
  long totalShuffleRead;
  long totalShuffleWrite;
  long firstTaskLaunch = Long.MAX_VALUE;
  long lastTaskFinish;

  ExecutorData(String id) {
    this.id = id;
  }

  boolean isDriver() {
    return "driver".equals(id);
  }
}
