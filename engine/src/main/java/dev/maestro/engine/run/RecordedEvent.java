package dev.maestro.engine.run;

import java.time.Instant;

/**
 * An event as stored in a run's log.
 *
 * @param seq position in the run's log: 1, 2, 3, ... with no gaps
 */
public record RecordedEvent(String runId, long seq, Instant at, RunEvent event) {}
