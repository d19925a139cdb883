package dev.maestro.engine.run;

import java.util.List;

/**
 * Told of every batch of events right after it is stored, on the run's thread, in log order. Keep
 * it quick; a listener that throws is logged and ignored.
 */
@FunctionalInterface
public interface RunListener {
  void onEvents(List<RecordedEvent> events);
}
