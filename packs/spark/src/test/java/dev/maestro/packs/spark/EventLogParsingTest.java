package dev.maestro.packs.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.packs.spark.internal.Logs;
import dev.maestro.packs.spark.internal.Report;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventLogParsingTest {
  @TempDir
  Path dir;

  /** Every number below is computed by hand from the task lines of logs/small. */
  static void assertSmallNumbers(Report r) {
    Report.Application app = r.application();
    assertThat(app.id()).isEqualTo("app-1");
    assertThat(app.name()).isEqualTo("small");
    assertThat(app.sparkVersion()).isEqualTo("3.5.1");
    assertThat(app.sparkUser()).isEqualTo("alice");
    assertThat(app.startTime()).isEqualTo(1_000_000);
    assertThat(app.endTime()).isEqualTo(1_010_000);
    assertThat(app.duration()).isEqualTo(10_000);
    assertThat(app.completed()).isTrue();
    assertThat(app.malformedLines()).isEqualTo(1);
    assertThat(app.malformedLineNumbers()).containsExactly(21L);
    assertThat(app.sparkProperties()).containsEntry("spark.executor.memory", "2g");

    Report.Stage s0 = Fixtures.stage(r, 0, 0);
    assertThat(s0.status()).isEqualTo("COMPLETE");
    assertThat(s0.numTasks()).isEqualTo(4);
    assertThat(s0.numCompleteTasks()).isEqualTo(4);
    assertThat(s0.numFailedTasks()).isEqualTo(1);
    assertThat(s0.numKilledTasks()).isZero();
    // all five attempts' metrics count, the failed one's too (AppStatusListener adds every task's)
    assertThat(s0.executorRunTime()).isEqualTo(1800 + 2900 + 900 + 400 + 1900);
    assertThat(s0.executorCpuTime()).isEqualTo(1_500_000_000L + 2_000_000_000L + 500_000_000L + 300_000_000L + 1_000_000_000L);
    assertThat(s0.jvmGcTime()).isEqualTo(100 + 200 + 50);
    assertThat(s0.inputBytes()).isEqualTo(1000 + 2000 + 500 + 1500);
    assertThat(s0.inputRecords()).isEqualTo(10 + 20 + 5 + 15);
    assertThat(s0.shuffleWriteBytes()).isEqualTo(500 + 600 + 100 + 300);
    assertThat(s0.shuffleWriteRecords()).isEqualTo(5 + 6 + 1 + 3);
    assertThat(s0.memoryBytesSpilled()).isEqualTo(1000);
    assertThat(s0.diskBytesSpilled()).isEqualTo(400);
    assertThat(s0.duration()).isEqualTo(4000);
    // successful tasks only: 1000, 2000, 2000, 3000 ms; Spark's quantile index min(q * n, n - 1)
    assertThat(s0.taskDuration()).isEqualTo(new Report.Quantiles(1000, 2000, 2000, 3000, 3000));
    assertThat(s0.taskFailures()).containsEntry("java.lang.RuntimeException: boom", 1);

    Report.Stage s1 = Fixtures.stage(r, 1, 0);
    assertThat(s1.numCompleteTasks()).isEqualTo(2);
    assertThat(s1.numKilledTasks()).isEqualTo(1);
    assertThat(s1.numFailedTasks()).isZero();
    assertThat(s1.shuffleReadBytes()).isEqualTo(700 + 200 + 300 + 300);
    assertThat(s1.shuffleReadRecords()).isEqualTo(8 + 7);
    assertThat(s1.executorRunTime()).isEqualTo(950 + 1400 + 800);
    assertThat(s1.outputBytes()).isEqualTo(1234);
    assertThat(s1.outputRecords()).isEqualTo(7);
    assertThat(s1.parentIds()).containsExactly(0);

    Report.Job job = r.jobs().getFirst();
    assertThat(job.jobId()).isZero();
    assertThat(job.status()).isEqualTo("SUCCEEDED");
    assertThat(job.stageIds()).containsExactly(0, 1);
    assertThat(job.numTasks()).isEqualTo(6);
    assertThat(job.numCompletedTasks()).isEqualTo(6);
    assertThat(job.numFailedTasks()).isEqualTo(1);
    assertThat(job.numKilledTasks()).isEqualTo(1);

    Report.Executor e1 = Fixtures.executor(r, "1");
    assertThat(e1.hostPort()).isEqualTo("h1:7001");
    assertThat(e1.totalCores()).isEqualTo(2);
    assertThat(e1.maxTasks()).isEqualTo(2);
    assertThat(e1.completedTasks()).isEqualTo(4);
    assertThat(e1.failedTasks()).isZero();
    assertThat(e1.totalDuration()).isEqualTo(2000 + 1000 + 2000 + 1000 + 900);
    assertThat(e1.totalGCTime()).isEqualTo(100 + 50);
    assertThat(e1.totalInputBytes()).isEqualTo(1000 + 500 + 1500);
    assertThat(e1.totalShuffleRead()).isEqualTo(700 + 200);
    assertThat(e1.totalShuffleWrite()).isEqualTo(500 + 100 + 300);
    assertThat(e1.isActive()).isTrue();
    Report.Executor e2 = Fixtures.executor(r, "2");
    assertThat(e2.completedTasks()).isEqualTo(2);
    assertThat(e2.failedTasks()).isEqualTo(1);
    assertThat(e2.totalDuration()).isEqualTo(3000 + 500 + 1500);
    assertThat(e2.isActive()).isFalse();
    assertThat(e2.removeTime()).isEqualTo(1_007_000L);
    // as the REST API (AppStatusStore.replaceExec): the driver's totalDuration is the application's time
    assertThat(Fixtures.executor(r, "driver").totalDuration()).isEqualTo(10_000);
  }

  @Test
  void computes_the_rest_api_numbers_of_a_small_log_by_hand() {
    Path file = Fixtures.write(dir, "app-1", Fixtures.small());
    Report r = Fixtures.report(file);
    assertSmallNumbers(r);
    assertThat(r.warnings()).anyMatch(w -> w.contains("1 malformed lines skipped (line 21)"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"zstd", "zst", "lz4", "snappy", "lzf", "gz"})
  void reads_each_codec_as_spark_writes_it(String codec) {
    Path file = Fixtures.write(dir, "app-1." + codec, Fixtures.compress(Fixtures.small(), codec));
    Report r = Fixtures.report(file);
    assertSmallNumbers(r);
    assertThat(r.application().logBytes()).isEqualTo(Fixtures.small().length);
  }

  @Test
  void reads_a_rolling_log_directory_in_index_order() {
    byte[] all = Fixtures.small();
    String text = new String(all, StandardCharsets.UTF_8);
    int cut = text.indexOf('\n', text.length() / 2) + 1;
    Path rolling = dir.resolve("eventlog_v2_app-1");
    // written out of order on purpose: events_10 must come after events_2
    Fixtures.write(rolling, "events_10_app-1.zstd", Fixtures.compress(new byte[0], "zstd"));
    Fixtures.write(rolling, "events_2_app-1.zstd", Fixtures.compress(Arrays.copyOfRange(all, cut, all.length), "zstd"));
    Fixtures.write(rolling, "events_1_app-1.zstd", Fixtures.compress(Arrays.copyOfRange(all, 0, cut), "zstd"));
    Fixtures.write(rolling, "appstatus_app-1", new byte[0]);
    Report r = Fixtures.report(rolling);
    assertSmallNumbers(r);
    assertThat(r.application().source()).endsWith("eventlog_v2_app-1");
  }

  @Test
  void an_in_progress_log_is_analysed_up_to_its_last_event() {
    String text = new String(Fixtures.small(), StandardCharsets.UTF_8);
    String withoutEnd = text.substring(0, text.indexOf("{\"Event\":\"SparkListenerApplicationEnd\""));
    Path file = Fixtures.write(dir, "app-1.lz4.inprogress", Fixtures.compress(withoutEnd.getBytes(StandardCharsets.UTF_8), "lz4"));
    Report r = Fixtures.report(file);
    assertThat(r.application().completed()).isFalse();
    assertThat(r.application().endTime()).isEqualTo(1_006_600); // the job's end, the last time an event carried
    assertThat(r.warnings()).anyMatch(w -> w.contains("still running") && w.contains(".inprogress"));
    assertThat(Fixtures.stage(r, 0, 0).executorRunTime()).isEqualTo(7900);
  }

  /** logs/small followed by 3,000 more successful tasks of stage 1: big enough to span many compressed blocks. */
  static byte[] longer() {
    String text = new String(Fixtures.small(), StandardCharsets.UTF_8);
    String task = text.lines().filter(l -> l.contains("\"Task ID\":5,") && l.contains("TaskEnd")).findFirst().orElseThrow();
    StringBuilder b = new StringBuilder(text);
    for (int i = 0; i < 3000; i++) {
      b.append(task.replace("\"Task ID\":5,", "\"Task ID\":" + (100 + i) + ",")).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"zstd", "lz4", "snappy", "lzf", "gz"})
  void a_truncated_compressed_stream_is_analysed_as_far_as_it_goes_and_says_so(String codec) {
    byte[] compressed = Fixtures.compress(longer(), codec);
    Path file = Fixtures.write(dir, "app-1." + codec, Arrays.copyOf(compressed, compressed.length / 2));
    Report r = Fixtures.report(file);
    assertThat(r.application().id()).isEqualTo("app-1");
    assertThat(Fixtures.stage(r, 1, 0).numCompleteTasks()).isBetween(100, 3000);
    assertThat(r.warnings()).anyMatch(w -> w.contains("truncated or corrupt") || w.contains("cut off"));
  }

  @Test
  void a_corrupt_gzip_stream_keeps_what_was_read() {
    byte[] gz = Fixtures.compress(longer(), "gz");
    byte[] bad = gz.clone();
    for (int i = bad.length / 2; i < bad.length; i++) {
      bad[i] = (byte) 0x55;
    }
    Path file = Fixtures.write(dir, "app-1.gz", bad);
    Report r = Fixtures.report(file);
    assertThat(r.application().id()).isEqualTo("app-1");
    assertThat(r.warnings()).anyMatch(w -> w.contains("gzip stream is truncated or corrupt"));
  }

  @Test
  void reads_both_spellings_of_the_push_based_shuffle_metrics() {
    String text = new String(Fixtures.small(), StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);
    int tasks = 0;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains("TaskEnd") && lines[i].contains("\"Stage ID\":1,") && lines[i].contains("\"Reason\":\"Success\"")) {
        // Spark 3.3+ nests them; Spark 3.2 wrote them flat in Shuffle Read Metrics
        lines[i] = tasks++ == 0
            ? lines[i].replace("\"Push Based Shuffle\":{\"Merged Remote Bytes Read\":0}", "\"Push Based Shuffle\":{\"Merged Remote Bytes Read\":70,\"Merged Local Bytes Read\":5}")
            : lines[i].replace("\"Push Based Shuffle\":{\"Merged Remote Bytes Read\":0}", "\"Remote Merged Bytes Read\":30,\"Local Merged Bytes Read\":2");
      }
    }
    assertThat(tasks).isEqualTo(2);
    Path file = Fixtures.write(dir, "app-1", String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    Report.Stage s1 = Fixtures.stage(Fixtures.report(file), 1, 0);
    assertThat(s1.shuffleMergedRemoteBytesRead()).isEqualTo(70 + 30);
    assertThat(s1.shuffleMergedLocalBytesRead()).isEqualTo(5 + 2);
    assertThat(s1.shuffleReadBytes()).isEqualTo(1500);
  }

  @Test
  void an_empty_file_is_a_clear_error() {
    Path file = Fixtures.write(dir, "app-1", new byte[0]);
    assertThatThrownBy(() -> Fixtures.analyze(file)).isInstanceOf(InvalidInputException.class).hasMessageContaining("is empty");
  }

  @Test
  void a_file_that_is_no_event_log_names_what_was_found() {
    Path zip = Fixtures.write(dir, "app-1", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, '\n'});
    assertThatThrownBy(() -> Fixtures.analyze(zip)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not a Spark event log: line 1")
        .hasMessageContaining("PK\\u0003\\u0004")
        .hasMessageContaining("spark.eventLog.enabled=true");
    Path json = Fixtures.write(dir, "other.json", "{\"name\":\"x\"}\n{\"name\":\"y\"}\n".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Fixtures.analyze(json)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not a Spark event log").hasMessageContaining("line 1 is '{\"name\":\"x\"}'");
  }

  @Test
  void an_unknown_extension_lists_the_supported_codecs() {
    Path file = Fixtures.write(dir, "app-1.bz2", Fixtures.small());
    assertThatThrownBy(() -> Fixtures.analyze(file)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown extension '.bz2'")
        .hasMessageContaining(".zstd, .zst, .lz4, .snappy, .lzf, .gz");
  }

  @Test
  void attempts_of_one_application_are_grouped() {
    String text = new String(Fixtures.small(), StandardCharsets.UTF_8);
    String a1 = text.replace("\"App ID\":\"app-1\"", "\"App ID\":\"app-1\",\"App Attempt ID\":\"1\"");
    String a2 = a1.replace("\"App Attempt ID\":\"1\"", "\"App Attempt ID\":\"2\"").replace("\"Timestamp\":1000000,", "\"Timestamp\":1000001,");
    Fixtures.write(dir, "app-1_1.zstd", Fixtures.compress(a1.getBytes(StandardCharsets.UTF_8), "zstd"));
    Fixtures.write(dir, "app-1_2.zstd", Fixtures.compress(a2.getBytes(StandardCharsets.UTF_8), "zstd"));
    List<Logs.Result> results = Fixtures.analyze(dir);
    assertThat(results).hasSize(1);
    Report.Application app = results.getFirst().report().application();
    assertThat(app.attempts()).extracting(Report.Attempt::attemptId).containsExactly("1", "2");
    assertThat(app.attemptId()).isEqualTo("2");
  }

  @Test
  void a_directory_of_many_logs_reports_each_and_keeps_going_past_a_bad_one() {
    for (int i = 0; i < 5; i++) {
      String text = new String(Fixtures.small(), StandardCharsets.UTF_8).replace("app-1", "app-" + (i + 10));
      Fixtures.write(dir, "app-" + (i + 10) + ".snappy", Fixtures.compress(text.getBytes(StandardCharsets.UTF_8), "snappy"));
    }
    Fixtures.write(dir, "broken.zstd", new byte[] {1, 2, 3, 4, 5});
    Fixtures.write(dir, "notes.md", "not a log".getBytes(StandardCharsets.UTF_8));
    Logs.Found found = Logs.find(List.of(dir));
    assertThat(found.skipped()).singleElement().asString().contains("notes.md").contains("unknown extension");
    List<Logs.Result> results = Logs.analyze(found, SparkSettings.DEFAULTS, 2, n -> {});
    assertThat(results).hasSize(6);
    assertThat(results.stream().filter(r -> r.report() != null)).hasSize(5)
        .allSatisfy(r -> assertThat(Fixtures.stage(r.report(), 0, 0).executorRunTime()).isEqualTo(7900));
    assertThat(results.stream().filter(r -> r.error() != null)).singleElement()
        .satisfies(r -> assertThat(r.source()).endsWith("broken.zstd"));
  }

  @Test
  void a_missing_path_is_a_clear_error() {
    assertThatThrownBy(() -> Fixtures.analyze(dir.resolve("nope"))).isInstanceOf(InvalidInputException.class).hasMessageContaining("does not exist");
  }
}
