package dev.maestro.engine.run;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.run.RunEvent.ModelCalled;
import dev.maestro.engine.run.RunEvent.RunCompleted;
import dev.maestro.engine.run.RunEvent.RunFailed;
import dev.maestro.engine.run.RunEvent.Thought;
import dev.maestro.engine.run.RunEvent.ToolCallCompleted;
import dev.maestro.engine.run.RunEvent.ToolCallFailed;
import dev.maestro.engine.run.RunEvent.ToolCallRequested;
import java.time.Instant;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of a run's reasoning trace (the {@code agent_reasoning_traces} projection): a thought,
 * an action (tool call), an observation (its result), the final answer, or an error.
 *
 * @param seq the log event it comes from
 * @param tokens for thoughts, the tokens of the model call that produced them
 * @param latencyMs model latency for thoughts, tool duration for observations
 */
public record TraceEntry(
    String runId, long seq, int step, Kind kind, String content, String tool, String callId, long tokens, long latencyMs, Instant at) {

  public enum Kind {
    THOUGHT,
    ACTION,
    OBSERVATION,
    ANSWER,
    ERROR;

    @JsonValue
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The trace entries a batch of appended events contributes. A thought carries the tokens and
   * latency of the model call that produced it; observations and answers belong to the step of the
   * latest model call.
   *
   * @param before the run's summary before the batch (null when the batch creates the run)
   */
  public static List<TraceEntry> project(Run before, List<RecordedEvent> batch) {
    var entries = new ArrayList<TraceEntry>();
    int step = before == null ? 0 : before.steps();
    ModelCalled call = null;
    for (RecordedEvent e : batch) {
      TraceEntry entry =
          switch (e.event()) {
            case ModelCalled m -> {
              call = m;
              step = m.step();
              yield null;
            }
            case Thought t -> {
              long tokens = call == null ? 0 : call.inputTokens() + call.outputTokens();
              long latency = call == null ? 0 : call.latencyMs();
              yield new TraceEntry(e.runId(), e.seq(), t.step(), Kind.THOUGHT, t.text(), null, null, tokens, latency, e.at());
            }
            case ToolCallRequested r ->
                new TraceEntry(e.runId(), e.seq(), r.step(), Kind.ACTION, Json.write(r.arguments()), r.tool(), r.callId(), 0, 0, e.at());
            case ToolCallCompleted c ->
                new TraceEntry(e.runId(), e.seq(), step, Kind.OBSERVATION, c.output(), c.tool(), c.callId(), 0, c.durationMs(), e.at());
            case ToolCallFailed f ->
                new TraceEntry(e.runId(), e.seq(), step, Kind.OBSERVATION, "error: " + f.error(), f.tool(), f.callId(), 0, f.durationMs(), e.at());
            case RunCompleted c -> new TraceEntry(e.runId(), e.seq(), step, Kind.ANSWER, c.output(), null, null, 0, 0, e.at());
            case RunFailed f -> new TraceEntry(e.runId(), e.seq(), step, Kind.ERROR, f.code() + ": " + f.reason(), null, null, 0, 0, e.at());
            default -> null;
          };
      if (entry != null) {
        entries.add(entry);
      }
    }
    return entries;
  }
}
