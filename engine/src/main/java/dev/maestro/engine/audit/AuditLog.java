package dev.maestro.engine.audit;

import dev.maestro.engine.InvalidInputException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Optional;

/**
 * The audit trail of one workspace: an append-only, hash-chained list of who did what, when,
 * with which decision under which policy. Each entry carries the hash of the one before, so
 * {@link #verify()} finds an entry edited or deleted after it was written (see {@link AuditChain}).
 *
 * <p>What the chain cannot show by itself: that the newest entries were deleted. Removing the last
 * <i>n</i> entries leaves a shorter chain that is still whole (a store may keep the head elsewhere
 * in the database too, but whoever can delete rows can usually change that as well). Record
 * {@link #head()}'s seq and hash somewhere the database's users cannot write (a ticket, a log
 * shipped elsewhere, a signed file) and pass them to {@link #verify(long, String)} later.
 *
 * <p>Appends from any number of threads, and from several processes sharing one database, are
 * serialised per workspace so that sequence numbers have no gaps and each entry links to the one
 * appended just before it. Implementations: {@link InMemoryAuditLog}, and the JDBC store.
 */
public interface AuditLog {

  /** Appends a record as the next entry of the chain and returns that entry, already durable. */
  AuditEntry append(AuditRecord record);

  /**
   * Entries matching the query, oldest first.
   *
   * @throws InvalidInputException if the query asks for more than {@value AuditQuery#MAX_LIST}; page with {@code after_seq}
   */
  List<AuditEntry> list(AuditQuery query);

  /** Walks the whole chain in order, without holding it in memory, and reports the first entry that is wrong. */
  Verification verify();

  /**
   * Verifies the chain as {@link #verify()} does, and also that the entry recorded earlier as the head
   * (its seq and hash, kept outside the database) is still there unchanged: this detects deletion of
   * the newest entries, which the chain alone cannot.
   */
  Verification verify(long anchorSeq, String anchorHash);

  /**
   * Writes the matching entries as JSON lines (one entry per line, snake_case fields, oldest first), streaming.
   *
   * @throws UncheckedIOException if the writer fails
   */
  void export(AuditQuery query, Writer out);

  /** The newest entry: record its seq and hash outside the database to be able to detect deletion of the newest entries. */
  Optional<AuditEntry> head();
}
