package dev.maestro.cli;

import dev.maestro.engine.safety.PolicyStore;
import dev.maestro.engine.safety.SafetyEngine;
import dev.maestro.engine.safety.SafetySettings;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The safety engine for a workspace's stored policies, compiled once and rebuilt when they change:
 * at once for changes made through this process ({@link #invalidate}), and within {@link
 * #RECHECK} for changes made by another process sharing the database. Asked once per tool call,
 * it reads the store's revision at most once per {@code RECHECK}.
 */
final class PolicyCache implements Supplier<SafetyEngine> {
  static final Duration RECHECK = Duration.ofSeconds(2);

  private final PolicyStore store;
  private final SafetySettings settings;
  private volatile SafetyEngine engine;
  private volatile long revision = Long.MIN_VALUE;
  private volatile long checkedAt;

  PolicyCache(PolicyStore store, SafetySettings settings) {
    this.store = store;
    this.settings = settings;
  }

  @Override
  public SafetyEngine get() {
    long now = System.nanoTime();
    SafetyEngine current = engine;
    if (current != null && now - checkedAt < RECHECK.toNanos()) {
      return current;
    }
    synchronized (this) {
      long latest = store.revision();
      if (engine == null || latest != revision) {
        engine = new SafetyEngine(settings, store.list().stream().map(p -> p.policy()).toList());
        revision = latest;
      }
      checkedAt = System.nanoTime();
      return engine;
    }
  }

  /** The policies changed here: rebuild on the next call. */
  void invalidate() {
    checkedAt = 0;
  }
}
