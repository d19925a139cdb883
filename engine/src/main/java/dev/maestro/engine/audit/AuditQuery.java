package dev.maestro.engine.audit;

import dev.maestro.engine.InvalidInputException;
import java.time.Instant;

/**
 * Which audit entries to read, oldest first; every filter is optional.
 *
 * @param actor exactly this actor
 * @param action actions starting with this text: {@code run.} matches {@code run.start} and {@code run.cancel}
 * @param target exactly this target
 * @param decision exactly this decision
 * @param since entries appended at or after this time
 * @param until entries appended before this time
 * @param afterSeq entries after this sequence number: pass the last seq read to get the next page
 * @param limit at most this many; {@link AuditLog#list} takes up to {@value #MAX_LIST}, {@link AuditLog#export} any number
 */
public record AuditQuery(String actor, String action, String target, String decision, Instant since, Instant until,
    Long afterSeq, int limit) {
  /** The most entries {@link AuditLog#list} returns at once. */
  public static final int MAX_LIST = 1000;

  /** Every entry: for {@link AuditLog#export}. */
  public static final AuditQuery ALL = new AuditQuery(null, null, null, null, null, null, null, Integer.MAX_VALUE);

  public AuditQuery {
    if (limit < 1) {
      throw new InvalidInputException("limit is " + limit + "; ask for at least 1 entry");
    }
    if (since != null && until != null && !since.isBefore(until)) {
      throw new InvalidInputException("since " + since + " is not before until " + until + "; no entry can match");
    }
    if (afterSeq != null && afterSeq < 0) {
      throw new InvalidInputException("after_seq is " + afterSeq + "; it cannot be negative");
    }
  }

  /** The first {@code limit} entries, unfiltered. */
  public static AuditQuery first(int limit) {
    return new AuditQuery(null, null, null, null, null, null, null, limit);
  }

  /** This query for the page after the entry with this seq. */
  public AuditQuery after(long seq) {
    return new AuditQuery(actor, action, target, decision, since, until, seq, limit);
  }

  /** This query returning at most {@code n} entries. */
  public AuditQuery limit(int n) {
    return new AuditQuery(actor, action, target, decision, since, until, afterSeq, n);
  }

  /** Whether the entry passes every filter but the limit. */
  public boolean matches(AuditEntry e) {
    return (actor == null || actor.equals(e.actor()))
        && (action == null || e.action().startsWith(action))
        && (target == null || target.equals(e.target()))
        && (decision == null || decision.equals(e.decision()))
        && (since == null || !e.at().isBefore(since))
        && (until == null || e.at().isBefore(until))
        && (afterSeq == null || e.seq() > afterSeq);
  }
}
