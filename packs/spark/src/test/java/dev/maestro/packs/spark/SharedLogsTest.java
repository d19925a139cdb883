package dev.maestro.packs.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.ZstdInputStream;
import dev.maestro.packs.spark.internal.Logs;
import dev.maestro.packs.spark.internal.Report;
import dev.maestro.packs.spark.internal.ReportJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** On the real logs of ../shared/data/spark-eventlogs (skipped with a notice when absent). */
class SharedLogsTest {
  static Path dir;
  static List<Logs.Result> all;

  @BeforeAll
  static void readAll() {
    dir = SharedLogs.require();
    all = Fixtures.analyze(dir);
  }

  static Report report(String name) {
    return all.stream().filter(r -> r.source().endsWith(name)).findFirst().orElseThrow(() -> new AssertionError("no report for " + name)).report();
  }

  static boolean hasFinding(Report r, String id) {
    return r.findings().stream().anyMatch(f -> f.id().equals(id));
  }

  @Test
  void every_shared_log_is_analysed_into_a_complete_report() throws IOException {
    assertThat(all.stream().filter(r -> r.error() != null).map(r -> r.source() + ": " + r.error())).isEmpty();
    // 20 logs (17 files, a rolling directory, two attempts of one application in a folder): 19 applications
    assertThat(all.stream().map(r -> dir.relativize(Path.of(r.source())).toString())).hasSize(19);
    for (Logs.Result r : all) {
      JsonNode json = ReportJson.MAPPER.readTree(ReportJson.write(r.report()));
      assertThat(json.fieldNames()).toIterable().containsExactly("application", "jobs", "stages", "executors", "sql", "findings",
          "recommendations", "simulation", "cost", "warnings");
    }
  }

  @Test
  void task_counts_match_the_task_end_events_in_each_log() throws IOException {
    for (String name : List.of("tasks_executors_fail_compressed_eventlog.zstd", "nds_q72_dataproc_2_2.zstd", "eventlog-2021-06-15--15-00.gz",
        "join_missing_sql_end", "aqeshuffle_eventlog.zstd")) {
      Report r = report(name);
      long counted = r.stages().stream().mapToLong(s -> s.numCompleteTasks() + s.numFailedTasks() + s.numKilledTasks()).sum();
      assertThat(counted).as(name).isEqualTo(countLines(dir.resolve(name), "\"Event\":\"SparkListenerTaskEnd\""));
    }
  }

  private static long countLines(Path file, String needle) throws IOException {
    InputStream raw = Files.newInputStream(file);
    InputStream in = file.toString().endsWith(".zstd") ? new ZstdInputStream(raw) : file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return reader.lines().filter(l -> l.contains(needle)).count();
    }
  }

  @Test
  void failed_tasks_stages_jobs_and_lost_executors_are_found_with_their_reasons() {
    Report r = report("tasks_executors_fail_compressed_eventlog.zstd");
    assertThat(r.stages().stream().mapToInt(Report.Stage::numCompleteTasks).sum()).isEqualTo(8577);
    // 50 Resubmitted, 2 FetchFailed, 1 ExecutorLostFailure: all failures to AppStatusListener
    assertThat(r.stages().stream().mapToInt(Report.Stage::numFailedTasks).sum()).isEqualTo(53);
    assertThat(r.findings()).extracting(Report.Finding::id).contains("failed-tasks", "failed-stages", "failed-jobs", "executors-lost");
    Report.Finding tasks = r.findings().stream().filter(f -> f.id().equals("failed-tasks")).findFirst().orElseThrow();
    assertThat(tasks.evidence()).contains("50 x Resubmitted").contains("FetchFailed").contains("ExecutorLostFailure");
  }

  @Test
  void malformed_lines_are_skipped_and_listed() {
    Report r = report("malformed_json_eventlog.zstd");
    assertThat(r.application().malformedLines()).isEqualTo(1);
    assertThat(r.application().malformedLineNumbers()).containsExactly(4L);
    assertThat(r.warnings()).anyMatch(w -> w.contains("(line 4)"));
    assertThat(r.jobs()).isNotEmpty();
  }

  @Test
  void dynamic_allocation_and_idle_executors_are_judged() {
    Report r = report("eventlog_4nodes_8cores_dynamic_alloc.zstd");
    assertThat(r.application().sparkProperties()).containsEntry("spark.dynamicAllocation.enabled", "true");
    assertThat(r.findings()).extracting(Report.Finding::id).contains("dynamic-allocation-unbounded", "executor-utilization", "idle-executors");
    assertThat(r.recommendations()).extracting(Report.Recommendation::key).contains("spark.dynamicAllocation.maxExecutors");
    assertThat(r.simulation().observedExecutors()).isGreaterThan(1);
  }

  @Test
  void removed_executors_are_reported_with_their_reason() {
    Report r = report("eventlog_3nodes_12cores_exec_removed");
    Report.Executor removed = Fixtures.executor(r, "1");
    assertThat(removed.isActive()).isFalse();
    assertThat(removed.removeReason()).contains("worker lost");
    assertThat(r.findings()).extracting(Report.Finding::id).contains("executors-lost");
  }

  @Test
  void attempts_rolling_logs_and_truncated_logs_are_read() {
    Report attempts = report("multiple_attempts/attempt_2_eventlog.zstd");
    assertThat(attempts.application().attempts()).hasSize(2);
    Report rolling = report("eventlog_v2_local-1623876083964");
    assertThat(rolling.application().id()).isEqualTo("local-1623876083964");
    assertThat(rolling.stages()).isNotEmpty();
    Report truncated = report("truncated_eventlog");
    assertThat(truncated.application().completed()).isFalse();
    assertThat(truncated.warnings()).anyMatch(w -> w.contains("no SparkListenerApplicationEnd"));
  }

  @Test
  void sql_plans_give_joins_and_scans() {
    Report r = report("nds_q72_dataproc_2_2.zstd");
    assertThat(r.sql()).isNotEmpty();
    assertThat(r.sql().stream().flatMap(q -> q.joins().keySet().stream())).isNotEmpty();
    assertThat(r.sql().stream().flatMap(q -> q.scans().stream())).anyMatch(s -> s.startsWith("Scan"));
  }
}
