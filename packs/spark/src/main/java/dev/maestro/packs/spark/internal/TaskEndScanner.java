package dev.maestro.packs.spark.internal;

import static dev.maestro.packs.spark.internal.JsonBytes.FALSE;
import static dev.maestro.packs.spark.internal.JsonBytes.MAX_NAME;
import static dev.maestro.packs.spark.internal.JsonBytes.TRUE;
import static dev.maestro.packs.spark.internal.JsonBytes.afterColon;
import static dev.maestro.packs.spark.internal.JsonBytes.literal;
import static dev.maestro.packs.spark.internal.JsonBytes.plainString;
import static dev.maestro.packs.spark.internal.JsonBytes.skipValue;
import static dev.maestro.packs.spark.internal.JsonBytes.ws;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a successful SparkListenerTaskEnd line, as Spark writes it, straight from its bytes into a
 * {@link TaskEnd}: field names are matched as bytes (no strings, no symbol table), integers are read
 * in place, every other value is skipped while being checked to be valid JSON, and the two strings it
 * keeps (executor id, host) come from a small cache. Task ends are nearly all of a log; Jackson spent
 * most of its time on their field names.
 *
 * <p>It reads only a strict subset of JSON and refuses ({@code false}) anything else: a failed task,
 * an escape or a non-ASCII byte in a string it keeps, a number that is not a plain integer of the
 * field's range, a value of an unexpected kind, invalid JSON anywhere in the object. The caller then
 * parses the line with Jackson, which decides. So every line this scanner accepts gives the numbers
 * Jackson's reading gives, and every line it refuses is read exactly as before.
 */
final class TaskEndScanner {
  static final byte[] PREFIX = "{\"Event\":\"SparkListenerTaskEnd\",".getBytes(StandardCharsets.UTF_8);

  // the objects read field by field, an index into NAMES; the order of the names gives the ids
  // used in the switches below
  private static final int TOP = 0;
  private static final int REASON = 1;
  private static final int INFO = 2;
  private static final int METRICS = 3;
  private static final int SHUFFLE_READ = 4;
  private static final int PUSH_BASED = 5;
  private static final int SHUFFLE_WRITE = 6;
  private static final int INPUT = 7;
  private static final int OUTPUT = 8;
  private static final Names[] NAMES = {
      new Names("Stage ID", "Stage Attempt ID", "Task End Reason", "Task Info", "Task Metrics"),
      new Names("Reason"),
      new Names("Task ID", "Index", "Launch Time", "Finish Time", "Executor ID", "Host", "Speculative"),
      new Names("Executor Run Time", "Executor CPU Time", "Executor Deserialize Time", "JVM GC Time", "Result Serialization Time",
          "Peak Execution Memory", "Memory Bytes Spilled", "Disk Bytes Spilled", "Shuffle Read Metrics", "Shuffle Write Metrics",
          "Input Metrics", "Output Metrics"),
      new Names("Remote Bytes Read", "Local Bytes Read", "Total Records Read", "Fetch Wait Time", "Remote Merged Bytes Read",
          "Local Merged Bytes Read", "Push Based Shuffle"),
      new Names("Merged Remote Bytes Read", "Merged Local Bytes Read"),
      new Names("Shuffle Bytes Written", "Shuffle Records Written", "Shuffle Write Time"),
      new Names("Bytes Read", "Records Read"),
      new Names("Bytes Written", "Records Written")};
  private static final byte[] SUCCESS = "Success".getBytes(StandardCharsets.UTF_8);

  private final StringCache strings = new StringCache();
  private final Shape[] shapes = new Shape[NAMES.length];
  private TaskEnd t;
  /** The integer read by {@link #number}, the field name's bounds set by {@link #key}. */
  private long value;
  private int keyStart;
  private int keyEnd;
  /** The id of the name read by {@link #knownKey}, -1 for a field not read. */
  private int keyId;

  TaskEndScanner() {
    for (int k = 0; k < shapes.length; k++) {
      shapes[k] = new Shape();
    }
  }

  /**
   * Reads {@code buf[off, off + len)}, a line that starts with {@link #PREFIX}, into {@code task}.
   *
   * @return false if the line is not read here (the task is then partly filled: parse it again)
   */
  boolean scan(byte[] buf, int off, int len, TaskEnd task) {
    task.reset();
    t = task;
    // the rest of the top-level object, after its first field; what follows the object is not
    // read (nor is it by Jackson's reading)
    return fields(buf, ws(buf, off + PREFIX.length, off + len), off + len, TOP) >= 0;
  }

  // ---- the objects read ----

  /**
   * Runs over the fields of the object at {@code buf[i]}, reading the known ones of this kind of
   * object and skipping the others. Returns the index after the object, or -1.
   */
  private int object(byte[] buf, int i, int end, int kind) {
    if (i >= end || buf[i] != '{') {
      return -1;
    }
    i = ws(buf, i + 1, end);
    if (i < end && buf[i] == '}') {
      return i + 1;
    }
    return fields(buf, i, end, kind);
  }

  /** The fields of an object from the first name at {@code buf[i]} on; the index after the object, or -1. */
  private int fields(byte[] buf, int i, int end, int kind) {
    Shape shape = shapes[kind];
    for (int ordinal = 0; ; ordinal++) {
      i = knownKey(buf, i, end, kind, shape, ordinal);
      if (i < 0) {
        return -1;
      }
      int id = keyId;
      i = id < 0 ? skipValue(buf, i, end) : field(kind, id, buf, i, end);
      if (i < 0) {
        return -1;
      }
      i = ws(buf, i, end);
      if (i >= end) {
        return -1;
      }
      if (buf[i] == '}') {
        return i + 1;
      }
      if (buf[i] != ',') {
        return -1;
      }
      i = ws(buf, i + 1, end);
    }
  }

  /**
   * The name at {@code buf[i]} of the field at this place in an object of this kind: sets
   * {@link #keyId} to its id (-1 if the field is not read) and returns the index of its value, or
   * -1. Spark writes the fields of an object in the same order every time, so the name is first
   * compared with the one found at this place last time, bytes and colon at once.
   */
  private int knownKey(byte[] buf, int i, int end, int kind, Shape shape, int ordinal) {
    if (ordinal < shape.count) {
      byte[] expected = shape.keys[ordinal];
      int from = i + 1;
      int to = from + expected.length;
      if (to < end && buf[i] == '"' && Arrays.equals(buf, from, to, expected, 0, expected.length) && buf[to] > ' ') {
        keyId = shape.ids[ordinal];
        return to;
      }
    }
    i = key(buf, i, end);
    if (i < 0) {
      return -1;
    }
    keyId = NAMES[kind].find(buf, keyStart, keyEnd);
    if (buf[keyEnd + 1] == ':' && i == keyEnd + 2) {
      shape.learn(ordinal, buf, keyStart, keyEnd + 2, keyId);
    }
    return i;
  }

  /** The names of an object's fields in the order last seen (with their closing quote and colon), and their ids. Bounded. */
  private static final class Shape {
    private static final int MAX_FIELDS = 64;
    private static final int MAX_LEARNT = 64;
    final byte[][] keys = new byte[MAX_FIELDS][];
    final int[] ids = new int[MAX_FIELDS];
    int count;

    void learn(int ordinal, byte[] buf, int from, int to, int id) {
      if (ordinal > count || ordinal >= MAX_FIELDS || to - from > MAX_LEARNT) {
        count = Math.min(count, ordinal);
        return;
      }
      keys[ordinal] = Arrays.copyOfRange(buf, from, to);
      ids[ordinal] = id;
      count = ordinal + 1;
    }
  }

  private int topField(int id, byte[] buf, int i, int end) {
    TaskEnd task = t;
    switch (id) {
      case 0, 1 -> {
        i = number(buf, i, end);
        if (i < 0 || value != (int) value) {
          return -1;
        }
        if (id == 0) {
          task.stageId = (int) value;
        } else {
          task.stageAttemptId = (int) value;
        }
        return i;
      }
      case 2 -> {
        return object(buf, i, end, REASON);
      }
      case 3 -> {
        return object(buf, i, end, INFO);
      }
      default -> {
        task.hasMetrics = true; // anything but an object is refused
        return object(buf, i, end, METRICS);
      }
    }
  }

  /** Reads the value at {@code buf[i]} of the known field {@code id} of an object of this kind; the index after it, or -1. */
  private int field(int kind, int id, byte[] buf, int i, int end) {
    return switch (kind) {
      case TOP -> topField(id, buf, i, end);
      case REASON -> reasonField(buf, i, end);
      case INFO -> infoField(id, buf, i, end);
      case METRICS -> metricsField(id, buf, i, end);
      case SHUFFLE_READ -> shuffleReadField(id, buf, i, end);
      case PUSH_BASED -> pushBasedField(id, buf, i, end);
      case SHUFFLE_WRITE -> shuffleWriteField(id, buf, i, end);
      case INPUT -> inputField(id, buf, i, end);
      default -> outputField(id, buf, i, end);
    };
  }

  private int reasonField(byte[] buf, int i, int end) {
    // only {"Reason":"Success"} (other fields beside it skipped) is read here; a failure is Jackson's
    int close = plainString(buf, i, end);
    if (close < 0 || !Arrays.equals(buf, i + 1, close, SUCCESS, 0, SUCCESS.length)) {
      return -1;
    }
    t.reason = "Success";
    return close + 1;
  }

  private int infoField(int id, byte[] buf, int i, int end) {
    TaskEnd task = t;
    switch (id) {
      case 4, 5 -> {
        int close = plainString(buf, i, end);
        if (close < 0) {
          return -1;
        }
        String s = strings.get(buf, i + 1, close);
        if (id == 4) {
          task.executorId = s;
        } else {
          task.host = s;
        }
        return close + 1;
      }
      case 6 -> {
        if (literal(buf, i, end, TRUE)) {
          task.speculative = true;
          return i + 4;
        }
        if (literal(buf, i, end, FALSE)) {
          task.speculative = false;
          return i + 5;
        }
        return -1;
      }
      default -> {
        i = number(buf, i, end);
        if (i < 0) {
          return -1;
        }
        long v = value;
        switch (id) {
          case 0 -> task.taskId = v;
          case 1 -> {
            if (v != (int) v) {
              return -1;
            }
            task.index = (int) v;
          }
          case 2 -> task.launchTime = v;
          default -> task.finishTime = v;
        }
        return i;
      }
    }
  }

  private int metricsField(int id, byte[] buf, int i, int end) {
    TaskEnd task = t;
    switch (id) {
      case 8 -> {
        return object(buf, i, end, SHUFFLE_READ);
      }
      case 9 -> {
        return object(buf, i, end, SHUFFLE_WRITE);
      }
      case 10 -> {
        return object(buf, i, end, INPUT);
      }
      case 11 -> {
        return object(buf, i, end, OUTPUT);
      }
      default -> {
        i = number(buf, i, end);
        if (i < 0) {
          return -1;
        }
        long v = value;
        switch (id) {
          case 0 -> task.executorRunTime = v;
          case 1 -> task.executorCpuTime = v;
          case 2 -> task.executorDeserializeTime = v;
          case 3 -> task.jvmGcTime = v;
          case 4 -> task.resultSerializationTime = v;
          case 5 -> task.peakExecutionMemory = v;
          case 6 -> task.memoryBytesSpilled = v;
          default -> task.diskBytesSpilled = v;
        }
        return i;
      }
    }
  }

  private int shuffleReadField(int id, byte[] buf, int i, int end) {
    if (id == 6) {
      // push-based shuffle, Spark 3.3+ spelling (nested)
      return object(buf, i, end, PUSH_BASED);
    }
    i = number(buf, i, end);
    if (i < 0) {
      return -1;
    }
    TaskEnd task = t;
    long v = value;
    switch (id) {
      case 0 -> task.shuffleRemoteBytesRead = v;
      case 1 -> task.shuffleLocalBytesRead = v;
      case 2 -> task.shuffleRecordsRead = v;
      case 3 -> task.shuffleFetchWaitTime = v;
      // push-based shuffle, Spark 3.2 spelling (flat)
      case 4 -> task.mergedRemoteBytesRead = v;
      default -> task.mergedLocalBytesRead = v;
    }
    return i;
  }

  private int pushBasedField(int id, byte[] buf, int i, int end) {
    i = number(buf, i, end);
    if (i >= 0) {
      if (id == 0) {
        t.mergedRemoteBytesRead = value;
      } else {
        t.mergedLocalBytesRead = value;
      }
    }
    return i;
  }

  private int shuffleWriteField(int id, byte[] buf, int i, int end) {
    i = number(buf, i, end);
    if (i >= 0) {
      switch (id) {
        case 0 -> t.shuffleWriteBytes = value;
        case 1 -> t.shuffleWriteRecords = value;
        default -> t.shuffleWriteTime = value;
      }
    }
    return i;
  }

  private int inputField(int id, byte[] buf, int i, int end) {
    i = number(buf, i, end);
    if (i >= 0) {
      if (id == 0) {
        t.inputBytes = value;
      } else {
        t.inputRecords = value;
      }
    }
    return i;
  }

  private int outputField(int id, byte[] buf, int i, int end) {
    i = number(buf, i, end);
    if (i >= 0) {
      if (id == 0) {
        t.outputBytes = value;
      } else {
        t.outputRecords = value;
      }
    }
    return i;
  }

  /**
   * A field name at {@code buf[i]} and its colon: sets {@link #keyStart}/{@link #keyEnd} to the
   * name's bytes and returns the index of the value, or -1. Names with an escape or a non-ASCII
   * byte are refused (Jackson compares names unescaped; Spark writes none).
   */
  private int key(byte[] buf, int i, int end) {
    int close = plainString(buf, i, end);
    if (close < 0 || close - i > MAX_NAME) {
      return -1;
    }
    keyStart = i + 1;
    keyEnd = close;
    return afterColon(buf, close, end);
  }

  /**
   * A plain integer at {@code buf[i]}, {@code -?(0|[1-9][0-9]*)} of at most 18 digits, into
   * {@link #value}; the index after it, or -1 for anything else (a fraction, an exponent, a string).
   */
  private int number(byte[] buf, int i, int end) {
    if (i >= end) {
      return -1;
    }
    boolean negative = buf[i] == '-';
    if (negative) {
      i++;
    }
    int start = i;
    long v = 0;
    while (i < end) {
      int d = buf[i] - '0';
      if (d < 0 || d > 9) {
        break;
      }
      v = v * 10 + d;
      i++;
    }
    int digits = i - start;
    if (digits == 0 || digits > 18 || (digits > 1 && buf[start] == '0')) {
      return -1;
    }
    if (i < end && (buf[i] == '.' || buf[i] == 'e' || buf[i] == 'E')) {
      return -1;
    }
    value = negative ? -v : v;
    return i;
  }

  // ---- helpers ----

  /** Field names of one object, found by their bytes (only when the {@link Shape} did not know the field). */
  private static final class Names {
    private final byte[][] names;

    Names(String... names) {
      this.names = new byte[names.length][];
      for (int n = 0; n < names.length; n++) {
        this.names[n] = names[n].getBytes(StandardCharsets.UTF_8);
      }
    }

    /** The id of the name in {@code b[from, to)}, or -1. */
    int find(byte[] b, int from, int to) {
      for (int n = 0; n < names.length; n++) {
        byte[] name = names[n];
        if (name.length == to - from && Arrays.equals(name, 0, name.length, b, from, to)) {
          return n;
        }
      }
      return -1;
    }
  }

  /**
   * The executor ids and host names of a log are few and repeat on every task: each distinct one is
   * made a String once. Fixed size, so memory does not grow with the log.
   */
  private static final class StringCache {
    private static final int SIZE = 512;
    private final byte[][] keys = new byte[SIZE][];
    private final String[] values = new String[SIZE];

    /** {@code b[from, to)} is printable ASCII. */
    String get(byte[] b, int from, int to) {
      int h = 0;
      for (int k = from; k < to; k++) {
        h = h * 31 + b[k];
      }
      h = (h ^ (h >>> 16)) & (SIZE - 1);
      byte[] key = keys[h];
      if (key != null && Arrays.equals(key, 0, key.length, b, from, to)) {
        return values[h];
      }
      keys[h] = Arrays.copyOfRange(b, from, to);
      return values[h] = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
  }
}
