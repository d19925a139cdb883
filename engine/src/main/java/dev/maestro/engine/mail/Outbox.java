package dev.maestro.engine.mail;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.NotFoundException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Every mail a workspace's agents wrote, sent or not: what {@code send_email} records before it
 * tries to send, and what people read to see what their agents said to whom.
 */
public interface Outbox {

  /**
   * Records a new mail.
   *
   * @return the mail as stored
   * @throws ConflictException if a mail with its id is already recorded
   */
  OutboxMail add(OutboxMail mail);

  /** The mails matching the query, newest first. */
  List<OutboxMail> list(OutboxQuery query);

  Optional<OutboxMail> find(String id);

  /**
   * Records that the SMTP server accepted a held or pending mail.
   *
   * @throws NotFoundException if there is no such mail
   * @throws ConflictException if it was already sent or failed
   */
  OutboxMail markSent(String id, Instant sentAt);

  /**
   * Records that sending a held or pending mail failed, and why.
   *
   * @throws NotFoundException if there is no such mail
   * @throws ConflictException if it was already sent or failed
   */
  OutboxMail markFailed(String id, String error);
}
