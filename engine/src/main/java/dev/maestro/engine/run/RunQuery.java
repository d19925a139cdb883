package dev.maestro.engine.run;

import dev.maestro.engine.InvalidInputException;
import java.time.Instant;

/**
 * Which runs to list: all filters optional, newest first.
 *
 * @param createdAfter only runs created at or after this time
 * @param createdBefore only runs created before this time
 * @param limit at most this many (1-1000)
 */
public record RunQuery(String agentId, RunStatus status, Instant createdAfter, Instant createdBefore, int limit, int offset) {

  public static final RunQuery RECENT = new RunQuery(null, null, null, null, 50, 0);

  /** Runs created at or after a time, with no upper bound. */
  public RunQuery(String agentId, RunStatus status, Instant createdAfter, int limit, int offset) {
    this(agentId, status, createdAfter, null, limit, offset);
  }

  public RunQuery {
    if (limit < 1 || limit > 1000) {
      throw new InvalidInputException("limit is " + limit + "; ask for 1 to 1000 runs at a time");
    }
    if (createdAfter != null && createdBefore != null && !createdAfter.isBefore(createdBefore)) {
      throw new InvalidInputException("created_after " + createdAfter + " is not before created_before " + createdBefore + "; no run can match");
    }
    if (offset < 0) {
      throw new InvalidInputException("offset is " + offset + "; it cannot be negative");
    }
  }
}
