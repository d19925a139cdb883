package dev.maestro.store.jdbc;

import dev.maestro.engine.run.Run;
import dev.maestro.store.jdbc.PendingAppend.RunKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recently read finished runs, so reading one again (a dashboard polling, a client fetching a
 * result) needs no query. Safe across processes: a finished run takes no more appends, so its row
 * never changes. Bounded in entries and in the text kept.
 */
final class FinishedRuns {
  static final int CAPACITY = 4096;
  /** Runs with more input and output text than this are not kept: they would crowd the cache. */
  static final int MAX_TEXT_CHARS = 16 * 1024;

  private final Map<RunKey, Run> runs = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<RunKey, Run> eldest) {
      return size() > CAPACITY;
    }
  };

  synchronized Run get(RunKey key) {
    return runs.get(key);
  }

  void remember(RunKey key, Run run) {
    if (!run.status().terminal() || length(run.input()) + length(run.output()) + length(run.error()) > MAX_TEXT_CHARS) {
      return;
    }
    synchronized (this) {
      runs.put(key, run);
    }
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }
}
