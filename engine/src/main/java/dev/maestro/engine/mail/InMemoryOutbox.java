package dev.maestro.engine.mail;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.NotFoundException;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** An outbox kept in memory: for tests and embedding without a database. Thread-safe. */
public final class InMemoryOutbox implements Outbox {
  private static final Comparator<OutboxMail> NEWEST_FIRST =
      Comparator.comparing(OutboxMail::createdAt).thenComparing(OutboxMail::id).reversed();

  private final Map<String, OutboxMail> mails = new LinkedHashMap<>();

  @Override
  public synchronized OutboxMail add(OutboxMail mail) {
    if (mails.putIfAbsent(mail.id(), mail) != null) {
      throw new ConflictException("a mail with id '" + mail.id() + "' is already in the outbox");
    }
    return mail;
  }

  @Override
  public synchronized List<OutboxMail> list(OutboxQuery query) {
    return mails.values().stream()
        .filter(m -> query.status() == null || m.status() == query.status())
        .filter(m -> query.runId() == null || query.runId().equals(m.runId()))
        .sorted(NEWEST_FIRST)
        .skip(query.offset())
        .limit(query.limit())
        .toList();
  }

  @Override
  public synchronized Optional<OutboxMail> find(String id) {
    return Optional.ofNullable(mails.get(id));
  }

  @Override
  public OutboxMail markSent(String id, Instant sentAt) {
    Objects.requireNonNull(sentAt, "sentAt");
    return settle(id, m -> m.sent(sentAt));
  }

  @Override
  public OutboxMail markFailed(String id, String error) {
    return settle(id, m -> m.failed(error));
  }

  private synchronized OutboxMail settle(String id, UnaryOperator<OutboxMail> change) {
    OutboxMail mail = mails.get(id);
    if (mail == null) {
      throw new NotFoundException("no mail '" + id + "' in the outbox");
    }
    if (mail.status() == MailStatus.SENT || mail.status() == MailStatus.FAILED) {
      throw new ConflictException("mail '" + id + "' is already " + mail.status().wire());
    }
    OutboxMail settled = change.apply(mail);
    mails.put(id, settled);
    return settled;
  }
}
