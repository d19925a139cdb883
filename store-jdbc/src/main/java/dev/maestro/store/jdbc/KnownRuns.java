package dev.maestro.store.jdbc;

import dev.maestro.engine.run.Run;
import dev.maestro.store.jdbc.PendingAppend.RunKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The committer's memory of the unfinished runs it wrote last, so that the next append to one
 * needs no read. It may be stale (another process may have appended since): every update it leads
 * to is guarded by the run's last_seq, and a run found stale is forgotten and read again. Only the
 * committer thread uses it.
 */
final class KnownRuns {
  private final Map<RunKey, Run> runs;

  KnownRuns(int capacity) {
    this.runs = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<RunKey, Run> eldest) {
        return size() > capacity;
      }
    };
  }

  Run get(RunKey key) {
    return runs.get(key);
  }

  /** Remembers the run as committed; a finished run takes no more appends, so it is not kept. */
  void committed(RunKey key, Run run) {
    if (run.status().terminal()) {
      runs.remove(key);
    } else {
      // The input is never updated after run_created, so it need not take up memory here.
      runs.put(key, new Run(run.id(), run.agentId(), run.status(), null, run.output(), run.error(), run.model(),
          run.steps(), run.toolCalls(), run.inputTokens(), run.outputTokens(), run.cachedTokens(),
          run.createdAt(), run.startedAt(), run.endedAt(), run.updatedAt(), run.lastSeq()));
    }
  }

  void forget(RunKey key) {
    runs.remove(key);
  }
}
