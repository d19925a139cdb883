package dev.maestro.packs.spend.internal;

import dev.maestro.engine.model.ModelRef;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunQuery;
import dev.maestro.engine.run.RunStore;
import java.util.List;
import java.util.function.Consumer;

/**
 * Maestro's own runs as usage: every {@code model_called} event is a request. The engine counts
 * cached tokens inside the input (the OpenAI convention), as the normalised rows do.
 */
public final class MaestroRuns {
  private MaestroRuns() {}

  /** Reads up to {@code maxRuns} runs, newest first; returns how many runs were read. */
  public static int read(RunStore store, int maxRuns, Consumer<UsageRow> sink, Problems problems) {
    int read = 0;
    for (int offset = 0; read < maxRuns; ) {
      List<Run> page = store.list(new RunQuery(null, null, null, Math.min(1000, maxRuns - read), offset));
      if (page.isEmpty()) {
        break;
      }
      for (Run run : page) {
        for (RecordedEvent e : store.events(run.id(), 0)) {
          if (e.event() instanceof RunEvent.ModelCalled m) {
            String where = "run " + run.id() + " seq " + e.seq();
            ModelRef ref;
            try {
              ref = ModelRef.parse(m.model());
            } catch (RuntimeException ex) {
              problems.bad("maestro-runs", e.seq(), where, "model '" + m.model() + "' is not provider:model");
              continue;
            }
            if (ref.isReplay()) {
              continue; // recorded transcripts cost nothing
            }
            if (m.cachedTokens() > m.inputTokens()) {
              problems.bad("maestro-runs", e.seq(), where, "cached tokens (" + m.cachedTokens() + ") exceed input tokens (" + m.inputTokens() + ")");
              continue;
            }
            long micros = e.at().getEpochSecond() * 1_000_000 + e.at().getNano() / 1_000;
            sink.accept(new UsageRow("maestro-runs", e.seq(), micros, ref.provider(), ref.name(), 1, m.inputTokens(), m.outputTokens(), m.cachedTokens(),
                0, 0, m.inputTokens(), m.latencyMs(), false, false, run.agentId(), "maestro", run.agentId(), run.id(), 0, 0));
          }
        }
        read++;
      }
      offset += page.size();
    }
    return read;
  }
}
