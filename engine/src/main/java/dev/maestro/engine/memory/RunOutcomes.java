package dev.maestro.engine.memory;

import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunListener;
import dev.maestro.engine.run.RunStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers how each run ended: an episodic memory of its input and outcome for its agent, so
 * later runs on similar goals recall what happened. Failures are weighed as more important than
 * successes; cancelled runs, and runs of agents whose {@code memory.episodic} is false (or the
 * platform's, when the agent does not say), are not remembered. Memories are written by a thread
 * of its own: a run's end does not wait for the embedding model, and stopping the engine (which
 * interrupts run threads) never interrupts an index write. {@link #close} writes what is queued.
 */
public final class RunOutcomes implements RunListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunOutcomes.class);
  static final double FAILED_IMPORTANCE = 0.6;
  static final double COMPLETED_IMPORTANCE = 0.4;

  private final Memories memories;
  private final RunStore runs;
  private final MemorySettings settings;
  /** Whether each run started here is to be remembered, from its run_created event, until it ends. */
  private final Map<String, Boolean> episodic = new ConcurrentHashMap<>();
  private final ExecutorService writer = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("run-outcomes").factory());

  public RunOutcomes(Memories memories, RunStore runs, MemorySettings settings) {
    this.memories = memories;
    this.runs = runs;
    this.settings = settings;
  }

  @Override
  public void onEvents(List<RecordedEvent> events) {
    for (RecordedEvent e : events) {
      if (e.event() instanceof RunEvent.RunCreated c) {
        episodic.put(e.runId(), settings.of(c.agent()).episodic());
      } else if (e.event() instanceof RunEvent.RunCancelled) {
        episodic.remove(e.runId());
      } else if (e.event() instanceof RunEvent.RunCompleted || e.event() instanceof RunEvent.RunFailed) {
        String runId = e.runId();
        Boolean remember = episodic.remove(runId);
        if (Boolean.FALSE.equals(remember)) {
          continue;
        }
        writer.execute(() -> {
          try {
            if (remember != null || episodicFromLog(runId)) {
              runs.find(runId).ifPresent(this::remember);
            }
          } catch (RuntimeException ex) {
            LOG.warn("run {}: its outcome was not remembered: {}", runId, ex.toString());
          }
        });
      }
    }
  }

  /** For a run created before a restart: its agent's settings are in the run_created event that starts its log. */
  private boolean episodicFromLog(String runId) {
    List<RecordedEvent> log = runs.events(runId, 0);
    return !log.isEmpty() && log.getFirst().event() instanceof RunEvent.RunCreated c && settings.of(c.agent()).episodic();
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

  /** Writes the memories still queued, then stops. */
  @Override
  public void close() {
    writer.close();
  }

  private static String cut(String s, int max) {
    String t = s == null ? "" : s.strip().replaceAll("\\s+", " ");
    return t.length() <= max ? t : t.substring(0, max) + "…";
  }
}
