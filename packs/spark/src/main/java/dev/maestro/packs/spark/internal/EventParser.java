package dev.maestro.packs.spark.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maestro.engine.InvalidInputException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Reads one event log into an {@link AppData}, one line at a time. Successful task ends, nearly all
 * of a log, are read from their bytes by {@link TaskEndScanner} into a reused {@link TaskEnd}; any
 * other task end (a failure, or a line the scanner cannot read exactly) is read field by field with
 * Jackson's streaming parser; the few other events of interest are read as small trees; every other
 * event is skipped after its name. Unknown events and fields are ignored; malformed lines are
 * counted and skipped.
 */
public final class EventParser {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ObjectMapper TREES = new ObjectMapper(FACTORY);

  private final AppData app;
  private final TaskEnd task = new TaskEnd();
  private final TaskEndScanner scanner = new TaskEndScanner();
  private final LongConsumer progress;
  private final ValueCutter accumulables = new ValueCutter("Accumulables", '[');
  private final ValueCutter executorMetrics = new ValueCutter("Task Executor Metrics", '{');

  private EventParser(AppData app, LongConsumer progress) {
    this.app = app;
    this.progress = progress;
  }

  /**
   * Parses a log.
   *
   * @param progress told how many more compressed bytes were read, now and then
   * @throws InvalidInputException if the file is empty or is not a Spark event log
   */
  static AppData parse(LogSource source, LongConsumer progress) {
    AppData app = new AppData(source);
    EventParser parser = new EventParser(app, progress);
    long lineOffset = 0;
    for (Path file : source.files()) {
      lineOffset = parser.parseFile(file, lineOffset);
    }
    if (app.events == 0) {
      if (app.lines == 0) {
        throw new InvalidInputException("'" + source.location() + "' is empty; an event log has at least a SparkListenerLogStart line");
      }
      throw new InvalidInputException("not a Spark event log: '" + source.location() + "' has no line with a Spark event (none of its "
          + app.malformedLines + " lines is a JSON object with an \"Event\" field; line 1 is '" + app.firstLine
          + "'); expected a file written with spark.eventLog.enabled=true");
    }
    return app;
  }

  private long parseFile(Path file, long lineOffset) {
    Codec codec = LogDiscovery.codecOf(file);
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read '" + file + "': " + e.getMessage());
    }
    try (CountingInputStream raw = new CountingInputStream(new BufferedInputStream(Files.newInputStream(file), 64 * 1024), progress)) {
      if (size == 0) {
        return lineOffset;
      }
      if (codec == Codec.NONE) {
        raw.mark(16);
        byte[] head = raw.readNBytes(8);
        raw.reset();
        codec = Codec.sniff(head, head.length).orElse(Codec.NONE);
      }
      InputStream in;
      try {
        in = codec.open(raw);
      } catch (IOException e) {
        app.truncated = true;
        app.warnings.add(file.getFileName() + ": could not start reading the " + codec.name().toLowerCase() + " stream (" + e.getMessage()
            + "); the file is corrupt or not " + codec.name().toLowerCase() + "-compressed");
        return lineOffset;
      }
      LineReader lines = new LineReader(in);
      long line = lineOffset;
      boolean firstLine = lineOffset == 0;
      while (lines.next()) {
        line++;
        app.lines++;
        if (lines.overlong()) {
          if (firstLine && app.events == 0) {
            throw new InvalidInputException("not a Spark event log: line 1 of '" + file + "' is longer than " + (LineReader.MAX_LINE >> 20)
                + " MiB; expected JSON lines written with spark.eventLog.enabled=true");
          }
          app.malformed(line);
          app.warnings.add(file.getFileName() + ": line " + line + " is longer than " + (LineReader.MAX_LINE >> 20) + " MiB and was skipped");
          firstLine = false;
          continue;
        }
        if (lines.lineLength == 0) {
          continue;
        }
        boolean ok = parseLine(lines.buffer(), lines.lineStart, lines.lineLength);
        if (!ok) {
          if (firstLine && app.events == 0) {
            checkLooksLikeLog(file, lines.buffer(), lines.lineStart, lines.lineLength);
            int n = Math.min(lines.lineLength, 60);
            app.firstLine = new String(lines.buffer(), lines.lineStart, n, java.nio.charset.StandardCharsets.UTF_8)
                + (n < lines.lineLength ? "..." : "");
          }
          if (lines.unterminated()) {
            app.warnings.add(file.getFileName() + ": the last line (" + line + ") is cut off; the log ends in the middle of an event");
            app.truncated = true;
          } else {
            app.malformed(line);
          }
        }
        firstLine = false;
      }
      app.bytes += lines.bytes();
      if (lines.failure() != null) {
        app.truncated = true;
        app.warnings.add(file.getFileName() + ": the " + codec.name().toLowerCase() + " stream is truncated or corrupt after " + lines.bytes()
            + " bytes (" + lines.failure().getMessage() + "); the report covers what was read before");
      }
      in.close();
      return line;
    } catch (IOException e) {
      throw new InvalidInputException("cannot read '" + file + "': " + e.getMessage());
    }
  }

  /** A first line that is not JSON at all: say what the file looks like instead. */
  private static void checkLooksLikeLog(Path file, byte[] buf, int off, int len) {
    int n = Math.min(len, 24);
    boolean binary = false;
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int b = buf[off + i] & 0xff;
      if (b < 0x20 || b >= 0x7f) {
        binary = true;
        shown.append(String.format("\\u%04x", b));
      } else {
        shown.append((char) b);
      }
    }
    if (binary || buf[off] != '{') {
      throw new InvalidInputException("not a Spark event log: line 1 of '" + file + "' is not JSON ('" + shown + "...'); "
          + (binary ? "it looks binary (a compressed file needs its codec's extension: " + Codec.supported() + "); " : "")
          + "expected a file written with spark.eventLog.enabled=true");
    }
  }

  /** Parses one line; false if it is not a JSON object with an "Event" field. */
  boolean parseLine(byte[] buf, int off, int len) {
    // the two events that make most of a log, recognised by their first bytes as Spark writes them
    if (startsWith(buf, off, len, TaskEndScanner.PREFIX)) {
      try {
        app.events++;
        if (!scanner.scan(buf, off, len, task)) {
          // anything but a plain successful task end: Jackson reads it and decides
          taskEnd(buf, off, len);
        }
        app.taskEnded(task);
        return true;
      } catch (IOException | RuntimeException e) {
        if (e instanceof InvalidInputException iie) {
          throw iie;
        }
        app.events--;
        return false;
      }
    }
    if (startsWith(buf, off, len, TASK_START) && buf[off + len - 1] == '}') {
      app.events++;
      return true;
    }
    try (JsonParser p = FACTORY.createParser(buf, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      if (!"Event".equals(p.nextFieldName())) {
        // Spark always writes "Event" first; anything else is read as a tree
        try (JsonParser again = FACTORY.createParser(buf, off, len)) {
          JsonNode node = TREES.readTree(again);
          if (node == null || !node.path("Event").isTextual()) {
            return false;
          }
          app.events++;
          onTree(node.path("Event").asText(), node);
          return true;
        }
      }
      String event = p.nextTextValue();
      if (event == null) {
        return false;
      }
      app.events++;
      switch (event) {
        case "SparkListenerTaskEnd" -> {
          taskEnd(buf, off, len);
          app.taskEnded(task);
        }
        case "SparkListenerTaskStart", "SparkListenerTaskGettingResult", "SparkListenerBlockUpdated", "SparkListenerExecutorMetricsUpdate",
            "org.apache.spark.sql.execution.ui.SparkListenerDriverAccumUpdates" -> {
          // not needed: skipped without reading the rest of the line
        }
        default -> {
          if (interesting(event)) {
            onTree(event, readRest(p));
          }
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidInputException iie) {
        throw iie;
      }
      return false;
    }
  }

  private static final byte[] TASK_START = "{\"Event\":\"SparkListenerTaskStart\",".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private static boolean startsWith(byte[] buf, int off, int len, byte[] prefix) {
    if (len < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (buf[off + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean interesting(String event) {
    return switch (event) {
      case "SparkListenerLogStart", "SparkListenerApplicationStart", "SparkListenerApplicationEnd", "SparkListenerEnvironmentUpdate",
          "SparkListenerResourceProfileAdded", "SparkListenerExecutorAdded", "SparkListenerExecutorRemoved", "SparkListenerBlockManagerAdded",
          "SparkListenerJobStart", "SparkListenerJobEnd", "SparkListenerStageSubmitted", "SparkListenerStageCompleted",
          "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart", "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd",
          "org.apache.spark.sql.execution.ui.SparkListenerSQLAdaptiveExecutionUpdate", "SparkListenerStageExecutorMetrics" -> true;
      default -> false;
    };
  }

  private static JsonNode readRest(JsonParser p) throws IOException {
    // the parser stands after "Event": read the remaining fields of the object as a tree
    com.fasterxml.jackson.databind.node.ObjectNode node = TREES.createObjectNode();
    String name;
    while ((name = p.nextFieldName()) != null) {
      p.nextToken();
      node.set(name, TREES.readTree(p));
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw new IOException("unexpected " + p.currentToken());
    }
    return node;
  }

  // ---- task end, field by field ----

  /** A task end line read by Jackson alone, as {@link #parseLine} reads the lines {@link TaskEndScanner} refuses; for tests. */
  static TaskEnd taskEndByJackson(byte[] buf, int off, int len) throws IOException {
    EventParser parser = new EventParser(new AppData(null), n -> {});
    parser.taskEnd(buf, off, len);
    return parser.task;
  }

  /** A task end without the two big values it does not need, then parsed field by field. */
  private void taskEnd(byte[] buf, int off, int len) throws IOException {
    byte[] b = buf;
    int o = off;
    int n = len;
    if (accumulables.cut(b, o, n)) {
      b = accumulables.buffer();
      o = 0;
      n = accumulables.length;
    }
    if (executorMetrics.cut(b, o, n)) {
      b = executorMetrics.buffer();
      o = 0;
      n = executorMetrics.length;
    }
    try (JsonParser p = FACTORY.createParser(b, o, n)) {
      p.nextToken();
      p.nextFieldName();
      p.nextToken(); // the event's name, read before
      taskEnd(p);
    }
  }

  private void taskEnd(JsonParser p) throws IOException {
    TaskEnd t = task;
    t.reset();
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken token = p.nextToken();
      switch (field) {
        case "Stage ID" -> t.stageId = p.getIntValue();
        case "Stage Attempt ID" -> t.stageAttemptId = p.getIntValue();
        case "Task End Reason" -> endReason(p, token);
        case "Task Info" -> taskInfo(p);
        case "Task Metrics" -> {
          if (token == JsonToken.START_OBJECT) {
            t.hasMetrics = true;
            taskMetrics(p);
          }
        }
        default -> p.skipChildren();
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw new IOException("task end not closed");
    }
  }

  private void endReason(JsonParser p, JsonToken token) throws IOException {
    if (token != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    // a success is {"Reason":"Success"}, read without building anything; failures are rare and
    // read as a tree
    com.fasterxml.jackson.databind.node.ObjectNode node = null;
    String reason = "Success";
    String field;
    while ((field = p.nextFieldName()) != null) {
      p.nextToken();
      if (field.equals("Reason") && node == null) {
        reason = p.getText();
        if (!"Success".equals(reason)) {
          node = TREES.createObjectNode();
          node.put("Reason", reason);
        }
      } else if (node != null) {
        node.set(field, TREES.readTree(p));
      } else {
        p.skipChildren();
      }
    }
    task.reason = reason;
    if (node != null) {
      task.failure = describeFailure(reason, node);
    }
  }

  static String describeFailure(String reason, JsonNode node) {
    String text = switch (reason) {
      case "ExceptionFailure" -> node.path("Class Name").asText("") + ": " + firstLine(node.path("Description").asText(""));
      case "ExecutorLostFailure" -> "ExecutorLostFailure (executor " + node.path("Executor ID").asText("?") + " exited"
          + (node.path("Exit Caused By App").asBoolean(true) ? " caused by one of the running tasks" : " unrelated to the running tasks")
          + ") " + firstLine(node.path("Loss Reason").asText(""));
      case "FetchFailed" -> "FetchFailed: " + firstLine(node.path("Message").asText("shuffle block could not be fetched"));
      case "TaskKilled" -> "TaskKilled: " + node.path("Kill Reason").asText("");
      case "TaskCommitDenied" -> "TaskCommitDenied";
      case "Resubmitted" -> "Resubmitted (its executor was lost after the task succeeded; its shuffle output had to be recomputed)";
      default -> reason;
    };
    return text.length() > 300 ? text.substring(0, 300) + "..." : text.strip();
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private void taskInfo(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    TaskEnd t = task;
    String field;
    while ((field = p.nextFieldName()) != null) {
      p.nextToken();
      switch (field) {
        case "Task ID" -> t.taskId = p.getLongValue();
        case "Index" -> t.index = p.getIntValue();
        case "Launch Time" -> t.launchTime = p.getLongValue();
        case "Finish Time" -> t.finishTime = p.getLongValue();
        case "Executor ID" -> t.executorId = p.getText();
        case "Host" -> t.host = p.getText();
        case "Speculative" -> t.speculative = p.getBooleanValue();
        default -> p.skipChildren();
      }
    }
  }

  private void taskMetrics(JsonParser p) throws IOException {
    TaskEnd t = task;
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken token = p.nextToken();
      switch (field) {
        case "Executor Run Time" -> t.executorRunTime = p.getLongValue();
        case "Executor CPU Time" -> t.executorCpuTime = p.getLongValue();
        case "Executor Deserialize Time" -> t.executorDeserializeTime = p.getLongValue();
        case "JVM GC Time" -> t.jvmGcTime = p.getLongValue();
        case "Result Serialization Time" -> t.resultSerializationTime = p.getLongValue();
        case "Peak Execution Memory" -> t.peakExecutionMemory = p.getLongValue();
        case "Memory Bytes Spilled" -> t.memoryBytesSpilled = p.getLongValue();
        case "Disk Bytes Spilled" -> t.diskBytesSpilled = p.getLongValue();
        case "Shuffle Read Metrics" -> shuffleRead(p, token);
        case "Shuffle Write Metrics" -> shuffleWrite(p, token);
        case "Input Metrics" -> {
          if (token == JsonToken.START_OBJECT) {
            while ((field = p.nextFieldName()) != null) {
              p.nextToken();
              switch (field) {
                case "Bytes Read" -> t.inputBytes = p.getLongValue();
                case "Records Read" -> t.inputRecords = p.getLongValue();
                default -> p.skipChildren();
              }
            }
          }
        }
        case "Output Metrics" -> {
          if (token == JsonToken.START_OBJECT) {
            while ((field = p.nextFieldName()) != null) {
              p.nextToken();
              switch (field) {
                case "Bytes Written" -> t.outputBytes = p.getLongValue();
                case "Records Written" -> t.outputRecords = p.getLongValue();
                default -> p.skipChildren();
              }
            }
          }
        }
        default -> p.skipChildren();
      }
    }
  }

  private void shuffleRead(JsonParser p, JsonToken token) throws IOException {
    if (token != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    TaskEnd t = task;
    String field;
    while ((field = p.nextFieldName()) != null) {
      JsonToken inner = p.nextToken();
      switch (field) {
        case "Remote Bytes Read" -> t.shuffleRemoteBytesRead = p.getLongValue();
        case "Local Bytes Read" -> t.shuffleLocalBytesRead = p.getLongValue();
        case "Total Records Read" -> t.shuffleRecordsRead = p.getLongValue();
        case "Fetch Wait Time" -> t.shuffleFetchWaitTime = p.getLongValue();
        // push-based shuffle, Spark 3.2 spelling (flat)
        case "Remote Merged Bytes Read" -> t.mergedRemoteBytesRead = p.getLongValue();
        case "Local Merged Bytes Read" -> t.mergedLocalBytesRead = p.getLongValue();
        // push-based shuffle, Spark 3.3+ spelling (nested)
        case "Push Based Shuffle" -> {
          if (inner == JsonToken.START_OBJECT) {
            while ((field = p.nextFieldName()) != null) {
              p.nextToken();
              switch (field) {
                case "Merged Remote Bytes Read" -> t.mergedRemoteBytesRead = p.getLongValue();
                case "Merged Local Bytes Read" -> t.mergedLocalBytesRead = p.getLongValue();
                default -> p.skipChildren();
              }
            }
          }
        }
        default -> p.skipChildren();
      }
    }
  }

  private void shuffleWrite(JsonParser p, JsonToken token) throws IOException {
    if (token != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    TaskEnd t = task;
    String field;
    while ((field = p.nextFieldName()) != null) {
      p.nextToken();
      switch (field) {
        // "Shuffle Bytes Written" since Spark 1.x; Spark 2.x and later keep the name
        case "Shuffle Bytes Written" -> t.shuffleWriteBytes = p.getLongValue();
        case "Shuffle Records Written" -> t.shuffleWriteRecords = p.getLongValue();
        case "Shuffle Write Time" -> t.shuffleWriteTime = p.getLongValue();
        default -> p.skipChildren();
      }
    }
  }

  // ---- the rare events, as trees ----

  private void onTree(String event, JsonNode n) {
    switch (event) {
      case "SparkListenerLogStart" -> {
        app.sawLogStart = true;
        app.sparkVersion = n.path("Spark Version").asText(null);
      }
      case "SparkListenerApplicationStart" -> {
        app.appName = n.path("App Name").asText(null);
        app.appId = n.path("App ID").asText(null);
        app.attemptId = n.path("App Attempt ID").asText(null);
        app.startTime = n.path("Timestamp").asLong();
        app.user = n.path("User").asText(null);
        app.seen(app.startTime);
      }
      case "SparkListenerApplicationEnd" -> {
        app.endTime = n.path("Timestamp").asLong();
        app.seen(app.endTime);
      }
      case "SparkListenerEnvironmentUpdate" -> {
        properties(n.path("Spark Properties"));
        app.javaVersion = n.path("JVM Information").path("Java Version").asText(null);
      }
      case "SparkListenerResourceProfileAdded" -> {
        JsonNode exec = n.path("Executor Resource Requests");
        app.resourceProfiles.put(n.path("Resource Profile Id").asInt(), new double[] {
            exec.path("cores").path("Amount").asDouble(0), exec.path("memory").path("Amount").asDouble(0),
            exec.path("memoryOverhead").path("Amount").asDouble(0), n.path("Task Resource Requests").path("cpus").path("Amount").asDouble(1)});
      }
      case "SparkListenerExecutorAdded" -> {
        long time = n.path("Timestamp").asLong();
        ExecutorData e = app.executor(n.path("Executor ID").asText(), time);
        JsonNode info = n.path("Executor Info");
        e.addTime = time;
        e.host = info.path("Host").asText(null);
        e.totalCores = info.path("Total Cores").asInt();
        e.resourceProfileId = info.path("Resource Profile Id").asInt(0);
      }
      case "SparkListenerExecutorRemoved" -> {
        long time = n.path("Timestamp").asLong();
        ExecutorData e = app.executor(n.path("Executor ID").asText(), time);
        e.removeTime = time;
        e.removeReason = n.path("Removed Reason").asText(null);
        e.removed = true;
      }
      case "SparkListenerBlockManagerAdded" -> {
        JsonNode id = n.path("Block Manager ID");
        long time = n.path("Timestamp").asLong();
        ExecutorData e = app.executor(id.path("Executor ID").asText(), time);
        e.hostPort = id.path("Host").asText() + ":" + id.path("Port").asInt();
        if (e.host == null) {
          e.host = id.path("Host").asText(null);
        }
        e.maxMemory = n.path("Maximum Memory").asLong();
      }
      case "SparkListenerStageExecutorMetrics" -> {
        // the History Server shows the driver's GC time from its peak metrics
        if ("driver".equals(n.path("Executor ID").asText()) && n.path("Executor Metrics").has("TotalGCTime")) {
          app.driverGcTime = Math.max(app.driverGcTime, n.path("Executor Metrics").path("TotalGCTime").asLong());
        }
      }
      case "SparkListenerJobStart" -> jobStart(n);
      case "SparkListenerJobEnd" -> {
        JsonNode result = n.path("Job Result");
        boolean ok = "JobSucceeded".equals(result.path("Result").asText());
        app.jobEnded(n.path("Job ID").asInt(), n.path("Completion Time").asLong(), ok ? "SUCCEEDED" : "FAILED",
            ok ? null : firstLine(result.path("Exception").path("Message").asText("failed")));
      }
      case "SparkListenerStageSubmitted" -> {
        StageData s = stageInfo(n.path("Stage Info"));
        app.stageSubmitted(s);
      }
      case "SparkListenerStageCompleted" -> {
        JsonNode info = n.path("Stage Info");
        StageData s = stageInfo(info);
        for (JsonNode acc : info.path("Accumulables")) {
          long id = acc.path("ID").asLong(-1);
          if (app.watchedAccumulators.contains(id)) {
            app.accumulatorValues.merge(id, acc.path("Value").asLong(0), Long::sum);
          }
        }
        app.stageCompleted(s);
      }
      case "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart" -> {
        SqlData q = app.sql.computeIfAbsent(n.path("executionId").asLong(), SqlData::new);
        q.description = n.path("description").asText("");
        q.startTime = n.path("time").asLong();
        SqlPlans.read(n.path("sparkPlanInfo"), q, app);
        app.seen(q.startTime);
      }
      case "org.apache.spark.sql.execution.ui.SparkListenerSQLAdaptiveExecutionUpdate" -> {
        SqlData q = app.sql.computeIfAbsent(n.path("executionId").asLong(), SqlData::new);
        SqlPlans.read(n.path("sparkPlanInfo"), q, app);
      }
      case "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd" -> {
        SqlData q = app.sql.computeIfAbsent(n.path("executionId").asLong(), SqlData::new);
        q.endTime = n.path("time").asLong();
        String error = n.path("errorMessage").asText("");
        q.errorMessage = error.isEmpty() ? null : firstLine(error);
        app.seen(q.endTime);
      }
      default -> {}
    }
  }

  private void properties(JsonNode props) {
    if (props.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = props.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        app.properties.put(e.getKey(), e.getValue().asText());
      }
    } else if (props.isArray()) {
      for (JsonNode pair : props) {
        if (pair.isArray() && pair.size() == 2) {
          app.properties.put(pair.get(0).asText(), pair.get(1).asText());
        }
      }
    }
  }

  private void jobStart(JsonNode n) {
    JobData job = new JobData(n.path("Job ID").asInt());
    job.submissionTime = n.path("Submission Time").asLong();
    List<StageData> infos = new ArrayList<>();
    for (JsonNode info : n.path("Stage Infos")) {
      infos.add(stageInfo(info));
    }
    for (JsonNode id : n.path("Stage IDs")) {
      job.stageIds.add(id.asInt());
    }
    if (job.stageIds.isEmpty()) {
      infos.forEach(s -> job.stageIds.add(s.stageId));
    }
    JsonNode props = n.path("Properties");
    if (props.hasNonNull("spark.sql.execution.id")) {
      job.sqlExecutionId = props.path("spark.sql.execution.id").asLong();
      SqlData q = app.sql.computeIfAbsent(job.sqlExecutionId, SqlData::new);
      q.jobIds.add(job.jobId);
    }
    if (props.hasNonNull("spark.job.description")) {
      job.description = props.path("spark.job.description").asText();
    }
    app.jobStarted(job, infos);
  }

  private StageData stageInfo(JsonNode info) {
    StageData s = app.stage(info.path("Stage ID").asInt(), info.path("Stage Attempt ID").asInt());
    s.name = info.path("Stage Name").asText(s.name);
    s.numTasks = info.path("Number of Tasks").asInt(s.numTasks);
    JsonNode parents = info.path("Parent IDs");
    if (parents.isArray()) {
      int[] ids = new int[parents.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = parents.get(i).asInt();
      }
      s.parentIds = ids;
    }
    if (info.hasNonNull("Submission Time")) {
      s.submissionTime = info.path("Submission Time").asLong();
    }
    if (info.hasNonNull("Completion Time")) {
      s.completionTime = info.path("Completion Time").asLong();
    }
    if (info.hasNonNull("Failure Reason")) {
      s.failureReason = firstLine(info.path("Failure Reason").asText());
    }
    return s;
  }

  /** Counts compressed bytes for the progress bar. */
  private static final class CountingInputStream extends java.io.FilterInputStream {
    private final LongConsumer progress;
    private long pending;

    CountingInputStream(InputStream in, LongConsumer progress) {
      super(in);
      this.progress = progress;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(long n) {
      pending += n;
      if (pending >= 1 << 20) {
        progress.accept(pending);
        pending = 0;
      }
    }

    @Override
    public void close() throws IOException {
      progress.accept(pending);
      pending = 0;
      super.close();
    }
  }
}
