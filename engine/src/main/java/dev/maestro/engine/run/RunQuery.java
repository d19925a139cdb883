package dev.maestro.engine.run;

import dev.maestro.engine.InvalidInputException;
import java.time.Instant;

/**
 * Which runs to list: all filters optional, newest first.
 *
 * @param createdAfter only runs created at or after this time
 * @param limit at most this many (1-1000)
 */
public record RunQuery(String agentId, RunStatus status, Instant createdAfter, int limit, int offset) {

  public static final RunQuery RECENT = new RunQuery(null, null, null, 50, 0);

  public RunQuery {
    if (limit < 1 || limit > 1000) {
      throw new InvalidInputException("limit is " + limit + "; ask for 1 to 1000 runs at a time");
    }
    if (offset < 0) {
      throw new InvalidInputException("offset is " + offset + "; it cannot be negative");
    }
  }
}
