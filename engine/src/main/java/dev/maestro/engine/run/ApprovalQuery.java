package dev.maestro.engine.run;

import dev.maestro.engine.InvalidInputException;
import java.time.Instant;

/**
 * Which approval requests to list, newest first; null fields do not filter.
 *
 * @param deadlineBefore only requests whose deadline is before this instant (finding expired ones)
 */
public record ApprovalQuery(
    ApprovalStatus status, String agentId, String runId, String tool, Instant createdAfter, Instant createdBefore,
    Instant deadlineBefore, int limit, int offset) {

  public ApprovalQuery {
    if (limit < 1 || limit > 1000) {
      throw new InvalidInputException("limit " + limit + " is out of range; use 1 to 1000");
    }
    if (offset < 0) {
      throw new InvalidInputException("offset " + offset + " is negative; use 0 or more");
    }
  }

  /** The pending requests, oldest deadlines first is not implied: newest first, up to {@code limit}. */
  public static ApprovalQuery pending(int limit) {
    return new ApprovalQuery(ApprovalStatus.PENDING, null, null, null, null, null, null, limit, 0);
  }
}
