package dev.maestro.engine.mail;

import dev.maestro.engine.InvalidInputException;

/**
 * Which mails to list: filters optional, newest first.
 *
 * @param status only mails in this status, or null for all
 * @param runId only mails written by this run, or null for all
 * @param limit at most this many (1-1000)
 * @param offset skip this many first
 */
public record OutboxQuery(MailStatus status, String runId, int limit, int offset) {
  public static final OutboxQuery RECENT = new OutboxQuery(null, null, 50, 0);

  public OutboxQuery {
    if (limit < 1 || limit > 1000) {
      throw new InvalidInputException("limit is " + limit + "; ask for 1 to 1000 mails at a time");
    }
    if (offset < 0) {
      throw new InvalidInputException("offset is " + offset + "; it cannot be negative");
    }
    runId = runId == null || runId.isBlank() ? null : runId.strip();
  }
}
