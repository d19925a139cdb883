package dev.maestro.packs.spark.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maestro.packs.spark.SharedLogs;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The byte scanner must give what Jackson's reading gives on every line it accepts, and refuse
 * the rest (which Jackson then reads). Checked on hand-written lines, on thousands of mutations of
 * them, and on every task end of the shared logs when they are present.
 */
class TaskEndScannerTest {
  /** A successful task end as Spark 3.5 writes it (accumulables inside the task info, push-based shuffle metrics nested). */
  static final String SPARK_35 = """
      {"Event":"SparkListenerTaskEnd","Stage ID":7,"Stage Attempt ID":1,"Task Type":"ShuffleMapTask","Task End Reason":{"Reason":"Success"},\
      "Task Info":{"Task ID":4242,"Index":17,"Attempt":0,"Partition ID":17,"Launch Time":1751493929737,"Executor ID":"3",\
      "Host":"worker-1.example.internal","Locality":"PROCESS_LOCAL","Speculative":false,"Getting Result Time":0,"Finish Time":1751493931612,\
      "Failed":false,"Killed":false,"Accumulables":[{"ID":1,"Name":"internal.metrics.executorDeserializeTime","Update":546,"Value":546,\
      "Internal":true,"Count Failed Values":true},{"ID":95,"Name":"number of output rows","Update":"12","Value":"3.5E2","Internal":false,\
      "Count Failed Values":true,"Metadata":"sql"}]},"Task Executor Metrics":{"JVMHeapMemory":0,"OnHeapExecutionMemory":0,"MinorGCCount":2,\
      "TotalGCTime":31},"Task Metrics":{"Executor Deserialize Time":546,"Executor Deserialize CPU Time":369846703,"Executor Run Time":1232,\
      "Executor CPU Time":207443434,"Peak Execution Memory":65536,"Result Size":2318,"JVM GC Time":31,"Result Serialization Time":7,\
      "Memory Bytes Spilled":1024,"Disk Bytes Spilled":512,"Shuffle Read Metrics":{"Remote Blocks Fetched":3,"Local Blocks Fetched":1,\
      "Fetch Wait Time":12,"Remote Bytes Read":30000,"Remote Bytes Read To Disk":0,"Local Bytes Read":10000,"Total Records Read":400,\
      "Remote Requests Duration":5,"Push Based Shuffle":{"Corrupt Merged Block Chunks":0,"Merged Fetch Fallback Count":0,\
      "Merged Remote Blocks Fetched":0,"Merged Local Blocks Fetched":0,"Merged Remote Chunks Fetched":0,"Merged Local Chunks Fetched":0,\
      "Merged Remote Bytes Read":2048,"Merged Local Bytes Read":1024,"Merged Remote Requests Duration":0}},"Shuffle Write Metrics":\
      {"Shuffle Bytes Written":5000,"Shuffle Write Time":800000,"Shuffle Records Written":50},"Input Metrics":{"Bytes Read":123456,\
      "Records Read":1000},"Output Metrics":{"Bytes Written":789,"Records Written":9},"Updated Blocks":[]}}""";

  /** Spark 3.2's flat spelling of the push-based shuffle metrics, accumulables at the top, a speculative task. */
  static final String SPARK_32 = """
      {"Event":"SparkListenerTaskEnd","Stage ID":2,"Stage Attempt ID":0,"Task Type":"ResultTask","Task End Reason":{"Reason":"Success"},\
      "Task Info":{"Task ID":9,"Index":1,"Attempt":1,"Launch Time":1000,"Executor ID":"driver","Host":"localhost","Locality":"NODE_LOCAL",\
      "Speculative":true,"Getting Result Time":0,"Finish Time":2500,"Failed":false,"Killed":false,"Accumulables":[]},\
      "Task Metrics":{"Executor Run Time":1400,"Executor CPU Time":-1,"JVM GC Time":0,"Shuffle Read Metrics":{"Remote Bytes Read":7,\
      "Local Bytes Read":8,"Total Records Read":9,"Fetch Wait Time":1,"Remote Merged Bytes Read":70,"Local Merged Bytes Read":80},\
      "Input Metrics":{"Bytes Read":0,"Records Read":0},"Output Metrics":{"Bytes Written":0,"Records Written":0}},\
      "Accumulables":[{"ID":3,"Name":"a \\"quoted\\" name \\u00e9","Value":1.5e3}]}""";

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void reads_a_task_end_as_spark_writes_it() {
    TaskEnd t = new TaskEnd();
    assertThat(new TaskEndScanner().scan(bytes(SPARK_35), 0, bytes(SPARK_35).length, t)).isTrue();
    assertThat(t.stageId).isEqualTo(7);
    assertThat(t.stageAttemptId).isEqualTo(1);
    assertThat(t.reason).isEqualTo("Success");
    assertThat(t.failure).isNull();
    assertThat(t.taskId).isEqualTo(4242);
    assertThat(t.index).isEqualTo(17);
    assertThat(t.launchTime).isEqualTo(1751493929737L);
    assertThat(t.finishTime).isEqualTo(1751493931612L);
    assertThat(t.executorId).isEqualTo("3");
    assertThat(t.host).isEqualTo("worker-1.example.internal");
    assertThat(t.speculative).isFalse();
    assertThat(t.hasMetrics).isTrue();
    assertThat(t.executorRunTime).isEqualTo(1232);
    assertThat(t.executorCpuTime).isEqualTo(207443434);
    assertThat(t.executorDeserializeTime).isEqualTo(546);
    assertThat(t.jvmGcTime).isEqualTo(31);
    assertThat(t.resultSerializationTime).isEqualTo(7);
    assertThat(t.peakExecutionMemory).isEqualTo(65536);
    assertThat(t.memoryBytesSpilled).isEqualTo(1024);
    assertThat(t.diskBytesSpilled).isEqualTo(512);
    assertThat(t.shuffleRemoteBytesRead).isEqualTo(30000);
    assertThat(t.shuffleLocalBytesRead).isEqualTo(10000);
    assertThat(t.shuffleRecordsRead).isEqualTo(400);
    assertThat(t.shuffleFetchWaitTime).isEqualTo(12);
    assertThat(t.mergedRemoteBytesRead).isEqualTo(2048);
    assertThat(t.mergedLocalBytesRead).isEqualTo(1024);
    assertThat(t.shuffleWriteBytes).isEqualTo(5000);
    assertThat(t.shuffleWriteRecords).isEqualTo(50);
    assertThat(t.shuffleWriteTime).isEqualTo(800000);
    assertThat(t.inputBytes).isEqualTo(123456);
    assertThat(t.inputRecords).isEqualTo(1000);
    assertThat(t.outputBytes).isEqualTo(789);
    assertThat(t.outputRecords).isEqualTo(9);

    assertThat(new TaskEndScanner().scan(bytes(SPARK_32), 0, bytes(SPARK_32).length, t)).isTrue();
    assertThat(t.speculative).isTrue();
    assertThat(t.executorId).isEqualTo("driver");
    assertThat(t.executorCpuTime).isEqualTo(-1);
    assertThat(t.mergedRemoteBytesRead).isEqualTo(70);
    assertThat(t.mergedLocalBytesRead).isEqualTo(80);
    assertThat(t.shuffleWriteBytes).isZero();
  }

  @Test
  void gives_what_jackson_gives_on_lines_written_otherwise() throws IOException {
    TaskEndScanner scanner = new TaskEndScanner();
    // first the usual order, so that the scanner has learnt it; then the same fields otherwise
    assertAgrees(scanner, SPARK_35, true);
    String rest = SPARK_35.substring(TaskEndScanner.PREFIX.length);
    assertAgrees(scanner, SPARK_35.substring(0, TaskEndScanner.PREFIX.length) + " " + rest.replace(":", ": ").replace(",", " ,\t"), true);
    assertAgrees(scanner, SPARK_35.replace("\"Stage ID\":7,\"Stage Attempt ID\":1,", "\"Stage Attempt ID\":1,\"Stage ID\":7,"), true);
    assertAgrees(scanner, SPARK_35.replace("\"Executor Run Time\":1232,", "\"Executor Run Time\":1232,\"Executor Run Time\":99,"), true);
    assertAgrees(scanner, SPARK_35.replace("\"Host\":\"worker-1.example.internal\",", ""), true);
    assertAgrees(scanner, SPARK_35.replace("\"Task Metrics\":{", "\"Unknown\":{\"a\":[1,{\"b\":null}],\"c\":\"\\u0041\\n\"},\"Task Metrics\":{"), true);
    assertAgrees(scanner, SPARK_35 + " trailing bytes are not read", true);
    assertAgrees(scanner, SPARK_35, true);
  }

  @Test
  void refuses_what_it_cannot_read_exactly_and_jackson_decides() throws IOException {
    TaskEndScanner scanner = new TaskEndScanner();
    List<String> refused = List.of(
        SPARK_35.replace("{\"Reason\":\"Success\"}", "{\"Reason\":\"TaskKilled\",\"Kill Reason\":\"another attempt succeeded\"}"),
        SPARK_35.replace("{\"Reason\":\"Success\"}", "{\"Reason\":\"Succes\\u0073\"}"),
        SPARK_35.replace("worker-1.example", "worker-\\u0031.example"),
        SPARK_35.replace("worker-1.example", "worker-\u00e9.example"),
        SPARK_35.replace("\"Executor Run Time\":1232", "\"Executor Run Time\":1232.0"),
        SPARK_35.replace("\"Executor Run Time\":1232", "\"Executor Run Time\":1.232e3"),
        SPARK_35.replace("\"Executor Run Time\":1232", "\"Executor Run Time\":\"1232\""),
        SPARK_35.replace("\"Executor Run Time\":1232", "\"Executor Run Time\":01232"),
        SPARK_35.replace("\"Executor Run Time\":1232", "\"Executor Run Time\":9223372036854775807"),
        SPARK_35.replace("\"Stage ID\":7", "\"Stage ID\":2147483648"),
        SPARK_35.replace("\"Speculative\":false", "\"Speculative\":0"),
        SPARK_35.replace("\"Task Metrics\":{\"Executor Deserialize Time\"", "\"Task Metrics\":null,\"X\":{\"Executor Deserialize Time\""),
        SPARK_35.replace("\"Update\":546", "\"Update\":0546"),
        SPARK_35.replace("\"Update\":546", "\"Update\":546,"),
        SPARK_35.replace("number of output rows", "number of\toutput rows"),
        SPARK_35.replace("number of output rows", "number of \\x rows"),
        SPARK_35.replace("\"Metadata\":\"sql\"", "\"Metadata\":sql"),
        SPARK_35.replace("\"Locality\"", "\"Locality\\u0020\""),
        SPARK_35.replace("\"Updated Blocks\":[]", "\"Updated Blocks\":" + "[".repeat(100) + "]".repeat(100)),
        SPARK_35.substring(0, SPARK_35.length() - 1),
        SPARK_35.substring(0, 1500));
    for (String line : refused) {
      assertAgrees(scanner, line, false);
    }
  }

  @Test
  void agrees_with_jackson_on_thousands_of_damaged_lines() throws IOException {
    Random random = new Random(20261123);
    TaskEndScanner scanner = new TaskEndScanner();
    int accepted = 0;
    int refused = 0;
    for (int n = 0; n < 20_000; n++) {
      String line = mutate(random.nextBoolean() ? SPARK_35 : SPARK_32, random);
      if (assertAgrees(scanner, line, null)) {
        accepted++;
      } else {
        refused++;
      }
    }
    // both sides are exercised
    assertThat(accepted).isGreaterThan(2_000);
    assertThat(refused).isGreaterThan(2_000);
  }

  @Test
  void reads_every_successful_task_end_of_the_shared_logs_as_jackson_does() throws IOException {
    Path dir = SharedLogs.require();
    TaskEndScanner scanner = new TaskEndScanner();
    long taskEnds = 0;
    long successes = 0;
    long accepted = 0;
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      Codec codec = LogDiscovery.codecOf(file);
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
        LineReader lines = new LineReader(codec == Codec.NONE ? raw : codec.open(raw));
        while (lines.next()) {
          byte[] line = java.util.Arrays.copyOfRange(lines.buffer(), lines.lineStart, lines.lineStart + lines.lineLength);
          if (!startsWith(line, TaskEndScanner.PREFIX)) {
            continue;
          }
          taskEnds++;
          TaskEnd jackson = jackson(line);
          if (jackson != null && jackson.reason.equals("Success")) {
            successes++;
          }
          if (assertAgrees(scanner, new String(line, StandardCharsets.UTF_8), null)) {
            accepted++;
          }
        }
      }
    }
    assertThat(taskEnds).isGreaterThan(20_000);
    // every successful task is read by the scanner, none falls back to Jackson
    assertThat(accepted).isEqualTo(successes);
  }

  /**
   * Scans the line and reads it with Jackson: if the scanner accepts it, Jackson must read it and
   * find the same task. {@code expected}, when given, is whether the scanner accepts it.
   */
  private static boolean assertAgrees(TaskEndScanner scanner, String line, Boolean expected) throws IOException {
    byte[] b = bytes(line);
    // at an offset, in a larger buffer, as lines are in the reader's buffer
    byte[] buf = new byte[b.length + 20];
    System.arraycopy(b, 0, buf, 7, b.length);
    buf[6] = '\n';
    buf[7 + b.length] = '\n';
    TaskEnd scanned = new TaskEnd();
    boolean ok = b.length >= TaskEndScanner.PREFIX.length && startsWith(b, TaskEndScanner.PREFIX) && scanner.scan(buf, 7, b.length, scanned);
    if (expected != null) {
      assertThat(ok).as("accepted: %s", line).isEqualTo(expected);
    }
    if (ok) {
      TaskEnd jackson = jackson(b);
      assertThat(jackson).as("Jackson reads what the scanner accepted: %s", line).isNotNull();
      assertSame(scanned, jackson, line);
    }
    return ok;
  }

  private static TaskEnd jackson(byte[] line) {
    try {
      return EventParser.taskEndByJackson(line, 0, line.length);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void assertSame(TaskEnd scanned, TaskEnd jackson, String line) {
    for (Field f : TaskEnd.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      try {
        assertThat(Objects.equals(f.get(scanned), f.get(jackson))).as("%s: scanner %s, Jackson %s in %s", f.getName(), f.get(scanned), f.get(jackson), line)
            .isTrue();
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    return b.length >= prefix.length && java.util.Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static final String[] BYTES = {"\"", "\\", "{", "}", "[", "]", ",", ":", " ", "0", "-", ".", "e", "\u0001", "\u00e9", "\ud800",
      "a", "1", "\t", "E", "+", "n", "\u20ac", "\\u", "\\u00", "t", "f", "/"};
  private static final Pattern NUMBER = Pattern.compile("(?<=:)-?\\d+(?=[,}\\]])");
  private static final Pattern WORD = Pattern.compile("\"([A-Za-z][^\"\\\\]*)\"");
  private static final String[] NUMBERS = {"%s.0", "%se0", "0%s", "99999999999999999999", "4294967296", "-%s", "%s.5", "2147483648",
      "-2147483649", "1E2", "null", "\"%s\"", "true", "9223372036854775807", "-9223372036854775808", "922337203685477580", "-0", "0.0",
      "[%s]", "{}"};
  private static final String[] KEYS = {"\"Executor Run Time\":", "\"Stage ID\":", "\"Host\":", "\"Task Metrics\":", "\"Reason\":",
      "\"Bytes Read\":", "\"Speculative\":", "\"Task Info\":", "\"Accumulables\":", "\"Push Based Shuffle\":", "\"Input Metrics\":"};

  /** One random change of the kinds that break a reader: bytes, whitespace, numbers, escapes, duplicates, depth, cuts. */
  static String mutate(String line, Random random) {
    int at = random.nextInt(line.length());
    return switch (random.nextInt(11)) {
      case 0 -> line.substring(0, at) + pick(BYTES, random) + line.substring(at + 1);
      case 1 -> line.substring(0, at) + line.substring(at + 1);
      case 2 -> line.substring(0, at) + pick(BYTES, random) + line.substring(at);
      case 3 -> {
        List<Integer> places = new ArrayList<>();
        for (int i = 0; i < line.length(); i++) {
          if (line.charAt(i) == ':' || line.charAt(i) == ',' || line.charAt(i) == '{' || line.charAt(i) == '[') {
            places.add(i + 1);
          }
        }
        int i = places.get(random.nextInt(places.size()));
        yield line.substring(0, i) + pick(new String[] {" ", "\t", "\r", "  ", "\n"}, random) + line.substring(i);
      }
      case 4 -> {
        List<int[]> numbers = new ArrayList<>();
        Matcher m = NUMBER.matcher(line);
        while (m.find()) {
          numbers.add(new int[] {m.start(), m.end()});
        }
        int[] n = numbers.get(random.nextInt(numbers.size()));
        yield line.substring(0, n[0]) + pick(NUMBERS, random).replace("%s", line.substring(n[0], n[1])) + line.substring(n[1]);
      }
      case 5 -> {
        List<int[]> words = new ArrayList<>();
        Matcher m = WORD.matcher(line);
        while (m.find()) {
          words.add(new int[] {m.start(1), m.end(1)});
        }
        int[] w = words.get(random.nextInt(words.size()));
        int i = w[0] + random.nextInt(w[1] - w[0]);
        String escape = pick(new String[] {String.format("\\u%04x", (int) line.charAt(i)), "\\/", "\\\\", "\\\"", "\\n", "\\u00e9", "\u00e9", "\\x",
            "\\u12", "\\ud800"}, random);
        yield line.substring(0, i) + escape + line.substring(i + 1);
      }
      case 6 -> line.substring(0, at);
      case 7 -> {
        String key = pick(KEYS, random);
        int i = line.indexOf(key);
        if (i < 0) {
          yield line;
        }
        yield line.substring(0, i) + key + pick(new String[] {"5", "\"x\"", "{}", "[]", "null", "{\"Bytes Read\":3}", "true"}, random) + ","
            + line.substring(i);
      }
      case 8 -> {
        String key = pick(KEYS, random);
        int i = line.indexOf(key);
        if (i < 0) {
          yield line;
        }
        i += key.length();
        yield line.substring(0, i) + pick(new String[] {"null,\"x\":", "[],\"y\":", "1,\"z\":", "\"s\",\"w\":", "{},\"v\":"}, random)
            + line.substring(i);
      }
      case 9 -> {
        int depth = pick(new Integer[] {3, 30, 61, 62, 63, 64, 200}, random);
        int i = line.indexOf("\"Task Info\"");
        yield line.substring(0, i) + "\"Deep\":" + "[{\"a\":".repeat(depth / 2) + "1" + "}]".repeat(depth / 2) + "," + line.substring(i);
      }
      default -> line.replace("{\"Reason\":\"Success\"}", pick(new String[] {"{\"Reason\":\"TaskKilled\",\"Kill Reason\":\"x\"}",
          "{\"Reason\":\"Success\",\"Extra\":{\"a\":[1,2]}}", "{\"X\":1,\"Reason\":\"Success\"}", "\"Success\"", "{}", "{\"Reason\":null}"},
          random));
    };
  }

  private static <T> T pick(T[] choices, Random random) {
    return choices[random.nextInt(choices.length)];
  }
}
