package dev.maestro.packs.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maestro.packs.spark.internal.Report.Finding;
import dev.maestro.packs.spark.internal.Report.Severity;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules' thresholds on applications made to order: one executor of 4 cores, one job, the stages given. */
class FindingsTest {
  static final long MB = Units.MB;

  static AppData app(StageData... stages) {
    AppData app = new AppData(new LogSource("t", Path.of("t"), List.of(Path.of("t")), false, 0));
    app.appId = "t";
    app.startTime = 1_000;
    app.endTime = 1_000 + 600_000;
    ExecutorData e = app.executor("1", 1_000);
    e.totalCores = 4;
    JobData job = new JobData(0);
    job.submissionTime = 1_000;
    job.completionTime = 1_000 + 590_000;
    app.jobs.put(0, job);
    for (StageData s : stages) {
      s.submissionTime = 2_000;
      s.completionTime = 2_000 + 100_000;
      s.status = "COMPLETE";
      s.jobIds.add(0);
      job.stageIds.add(s.stageId);
      app.stages.put(AppData.stageKey(s.stageId, 0), s);
    }
    return app;
  }

  static StageData stage(int id, long[] shuffleRead, long durationMs) {
    StageData s = new StageData(id, 0);
    s.name = "stage " + id;
    s.numTasks = shuffleRead.length;
    for (long bytes : shuffleRead) {
      s.numCompleteTasks++;
      s.shuffleReadBytes += bytes;
      s.shuffleReadPerTask.add(bytes);
      s.inputBytesPerTask.add(0);
      s.durations.add(durationMs);
      s.executorRunTime += durationMs;
    }
    return s;
  }

  static List<Finding> diagnose(AppData app) {
    Simulator.Resources res = Simulator.Resources.of(app);
    return Findings.diagnose(app, Simulator.simulate(app, res), res).findings();
  }

  static Finding find(List<Finding> findings, String id) {
    return findings.stream().filter(f -> f.id().equals(id)).findFirst().orElse(null);
  }

  static long[] sizes(int n, long each, long last) {
    long[] v = new long[n];
    java.util.Arrays.fill(v, each);
    v[n - 1] = last;
    return v;
  }

  @Test
  void shuffle_skew_is_severe_only_past_sparks_aqe_rule() {
    // 300 MB against a 10 MB median: > 5 x median and > 256 MB
    Finding skewed = find(diagnose(app(stage(1, sizes(20, 10 * MB, 300 * MB), 1_000))), "shuffle-read-skew");
    assertThat(skewed.severity()).isEqualTo(Severity.SEVERE);
    assertThat(skewed.evidence()).contains("Spark's AQE rule");
    // 200 MB: 20 x the median but under 256 MB, so AQE would not split it
    Finding uneven = find(diagnose(app(stage(1, sizes(20, 10 * MB, 200 * MB), 1_000))), "shuffle-read-skew");
    assertThat(uneven.severity()).isEqualTo(Severity.LOW);
    // 40 MB: neither
    assertThat(find(diagnose(app(stage(1, sizes(20, 10 * MB, 40 * MB), 1_000))), "shuffle-read-skew")).isNull();
  }

  @Test
  void few_huge_shuffle_partitions_get_a_partition_count_for_128_mb() {
    AppData app = app(stage(1, sizes(10, 500 * MB, 500 * MB), 1_000));
    Simulator.Resources res = Simulator.Resources.of(app);
    Advice advice = Findings.diagnose(app, Simulator.simulate(app, res), res);
    Finding f = find(advice.findings(), "shuffle-partitions-too-few");
    assertThat(f.severity()).isEqualTo(Severity.LOW); // 500 MB: over 200 MB, under 512 MB
    assertThat(advice.recommendations()).anySatisfy(r -> assertThat(r.conf()).isEqualTo("--conf spark.sql.shuffle.partitions=40"));
  }

  @Test
  void gc_share_is_graded_with_dr_elephants_thresholds() {
    StageData s = stage(1, sizes(10, 0, 0), 10_000);
    s.jvmGcTime = 16_000; // 16% of 100 s
    assertThat(find(diagnose(app(s)), "gc-high").severity()).isEqualTo(Severity.SEVERE);
    s.jvmGcTime = 9_000; // 9%
    assertThat(find(diagnose(app(s)), "gc-high").severity()).isEqualTo(Severity.LOW);
  }

  @Test
  void task_duration_skew_needs_a_long_task() {
    StageData s = stage(1, sizes(20, 0, 0), 2_000);
    s.durations.add(200_000); // 100 x the median
    assertThat(find(diagnose(app(s)), "task-skew").severity()).isEqualTo(Severity.CRITICAL);
    StageData quick = stage(2, sizes(20, 0, 0), 100);
    quick.durations.add(10_000); // 100 x the median, but 10 s
    assertThat(find(diagnose(app(quick)), "task-skew")).isNull();
  }

  @Test
  void aqe_off_is_found_by_version_default() {
    AppData app = app(stage(1, sizes(4, 0, 0), 1_000));
    app.sql.put(0L, new SqlData(0));
    app.sparkVersion = "3.1.2";
    assertThat(find(diagnose(app), "aqe-disabled")).isNotNull();
    app.sparkVersion = "3.5.0";
    assertThat(find(diagnose(app), "aqe-disabled")).isNull();
    app.properties.put("spark.sql.adaptive.enabled", "false");
    assertThat(find(diagnose(app), "aqe-disabled")).isNotNull();
  }

  @Test
  void a_sort_merge_join_with_a_small_side_is_told_to_broadcast() {
    AppData app = app(stage(1, sizes(4, 0, 0), 1_000));
    SqlData q = new SqlData(7);
    q.description = "select ... join dim";
    q.sortMergeJoinSides.add(new long[] {11, 12});
    app.sql.put(7L, q);
    // the exchanges' "data size" metrics as the stages' accumulables gave them
    app.accumulatorValues.put(11L, 5 * MB);
    app.accumulatorValues.put(12L, 2048 * MB);
    Simulator.Resources res = Simulator.Resources.of(app);
    Advice advice = Findings.diagnose(app, Simulator.simulate(app, res), res);
    assertThat(find(advice.findings(), "broadcastable-join").evidence()).contains("SQL 7", "5.0 MiB with 2.0 GiB", "10.0 MiB");
    assertThat(advice.recommendations()).anySatisfy(r -> assertThat(r.conf()).isEqualTo("--conf spark.sql.autoBroadcastJoinThreshold=16m"));
    // two big sides: nothing to broadcast
    app.accumulatorValues.put(11L, 1024 * MB);
    assertThat(find(diagnose(app), "broadcastable-join")).isNull();
  }
}
