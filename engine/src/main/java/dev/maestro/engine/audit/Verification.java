package dev.maestro.engine.audit;

/**
 * What {@link AuditLog#verify()} found.
 *
 * @param intact whether every entry matches its hash and follows the one before
 * @param entriesChecked how many entries were read, up to and including the first bad one
 * @param firstBadSeq the first entry that is wrong (for a deleted entry, its missing seq); null when intact
 * @param problem a sentence saying what is wrong; null when intact
 */
public record Verification(boolean intact, long entriesChecked, Long firstBadSeq, String problem) {

  static Verification ok(long checked) {
    return new Verification(true, checked, null, null);
  }

  static Verification broken(long checked, long seq, String problem) {
    return new Verification(false, checked, seq, problem);
  }
}
