package dev.maestro.engine.run;

import dev.maestro.engine.run.RunEvent.ModelCalled;
import dev.maestro.engine.run.RunEvent.RunCancelled;
import dev.maestro.engine.run.RunEvent.RunCompleted;
import dev.maestro.engine.run.RunEvent.RunCreated;
import dev.maestro.engine.run.RunEvent.RunFailed;
import dev.maestro.engine.run.RunEvent.RunStarted;
import dev.maestro.engine.run.RunEvent.ToolCallCompleted;
import dev.maestro.engine.run.RunEvent.ToolCallFailed;
import java.time.Instant;
import java.util.List;

/**
 * The summary of a run that queries need, folded from its events ({@link #apply}). Stores keep it
 * next to the log, updated in the same transaction as each append.
 *
 * @param steps model calls made
 * @param toolCalls tool calls finished (completed or failed)
 * @param lastSeq sequence number of the last event folded in
 */
public record Run(
    String id,
    String agentId,
    RunStatus status,
    String input,
    String output,
    String error,
    String model,
    int steps,
    int toolCalls,
    long inputTokens,
    long outputTokens,
    long cachedTokens,
    Instant createdAt,
    Instant startedAt,
    Instant endedAt,
    Instant updatedAt,
    long lastSeq) {

  /** Folds a whole log, oldest first. */
  public static Run fold(List<RecordedEvent> events) {
    if (events.isEmpty()) {
      throw new IllegalArgumentException("a run's log starts with run_created; this one is empty");
    }
    Run run = null;
    for (RecordedEvent e : events) {
      run = run == null ? created(e) : run.apply(e);
    }
    return run;
  }

  /** The summary right after the run's first event, which must be {@link RunCreated}. */
  public static Run created(RecordedEvent first) {
    if (!(first.event() instanceof RunCreated c) || first.seq() != 1) {
      throw new IllegalArgumentException("a run's log starts with run_created at seq 1, not " + first.event().type() + " at " + first.seq());
    }
    return new Run(first.runId(), c.agentId(), RunStatus.PENDING, c.input(), null, null, c.model(), 0, 0, 0, 0, 0,
        first.at(), null, null, first.at(), 1);
  }

  /** This summary with one more event folded in. */
  public Run apply(RecordedEvent e) {
    RunStatus status = this.status;
    String output = this.output;
    String error = this.error;
    int steps = this.steps;
    int toolCalls = this.toolCalls;
    long in = inputTokens;
    long out = outputTokens;
    long cached = cachedTokens;
    Instant started = startedAt;
    Instant ended = endedAt;
    switch (e.event()) {
      case RunStarted s -> {
        status = RunStatus.RUNNING;
        started = started == null ? e.at() : started;
      }
      case ModelCalled m -> {
        steps++;
        in += m.inputTokens();
        out += m.outputTokens();
        cached += m.cachedTokens();
      }
      case RunEvent.ApprovalRequested r -> status = RunStatus.WAITING_APPROVAL;
      case ToolCallCompleted c -> toolCalls++;
      case ToolCallFailed f -> toolCalls++;
      case RunCompleted c -> {
        status = RunStatus.COMPLETED;
        output = c.output();
        ended = e.at();
      }
      case RunFailed f -> {
        status = RunStatus.FAILED;
        error = f.reason();
        ended = e.at();
      }
      case RunCancelled c -> {
        status = RunStatus.CANCELLED;
        error = c.reason();
        ended = e.at();
      }
      default -> {}
    }
    return new Run(id, agentId, status, input, output, error, model, steps, toolCalls, in, out, cached,
        createdAt, started, ended, e.at(), e.seq());
  }

  public long totalTokens() {
    return inputTokens + outputTokens;
  }
}
