package dev.maestro.engine.memory;

import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunListener;
import dev.maestro.engine.run.RunStore;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers how each run ended: an episodic memory of its input and outcome for its agent, so
 * later runs on similar goals recall what happened. Failures are weighed as more important than
 * successes; cancelled runs are not remembered.
 */
public final class RunOutcomes implements RunListener {
  private static final Logger LOG = LoggerFactory.getLogger(RunOutcomes.class);
  static final double FAILED_IMPORTANCE = 0.6;
  static final double COMPLETED_IMPORTANCE = 0.4;

  private final Memories memories;
  private final RunStore runs;

  public RunOutcomes(Memories memories, RunStore runs) {
    this.memories = memories;
    this.runs = runs;
  }

  @Override
  public void onEvents(List<RecordedEvent> events) {
    for (RecordedEvent e : events) {
      if (e.event() instanceof RunEvent.RunCompleted || e.event() instanceof RunEvent.RunFailed) {
        try {
          runs.find(e.runId()).ifPresent(this::remember);
        } catch (RuntimeException ex) {
          LOG.warn("run {}: its outcome was not remembered: {}", e.runId(), ex.toString());
        }
      }
    }
  }

  private void remember(Run run) {
    if (run.agentId() == null) {
      return;
    }
    boolean failed = run.output() == null;
    String content = "Run on \"" + cut(run.input(), 300) + "\" " + (failed ? "failed: " + cut(run.error(), 500) : "completed: " + cut(run.output(), 500));
    memories.remember(new NewMemory(run.agentId(), MemoryType.EPISODIC, content, failed ? FAILED_IMPORTANCE : COMPLETED_IMPORTANCE,
        run.id(), Map.of("source", "run", "outcome", failed ? "failed" : "completed")));
  }

  private static String cut(String s, int max) {
    String t = s == null ? "" : s.strip().replaceAll("\\s+", " ");
    return t.length() <= max ? t : t.substring(0, max) + "…";
  }
}
