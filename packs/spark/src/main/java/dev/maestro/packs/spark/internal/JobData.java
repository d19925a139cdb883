package dev.maestro.packs.spark.internal;

import java.util.ArrayList;
import java.util.List;

/** One job: its stages and task counts as Spark's AppStatusListener keeps them. */
final class JobData {
  final int jobId;
  long submissionTime;
  long completionTime;
  List<Integer> stageIds = new ArrayList<>();
  String status = "RUNNING";
  int numTasks;
  int numCompletedTasks;
  int numFailedTasks;
  int numKilledTasks;
  Long sqlExecutionId;
  String description;
  String failure;

  JobData(int jobId) {
    this.jobId = jobId;
  }
}
