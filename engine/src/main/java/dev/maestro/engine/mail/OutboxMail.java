package dev.maestro.engine.mail;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.maestro.engine.InvalidInputException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A mail as the outbox records it: the message, who asked for it and what became of it.
 *
 * @param id {@code mail_...}, unique in the workspace
 * @param runId the run whose tool call wrote it, or null when the tool was called outside a run
 * @param agentId that run's agent, or null
 * @param error why sending failed, for {@link MailStatus#FAILED} only
 * @param createdAt when it was recorded, at microsecond precision (what databases keep)
 * @param sentAt when the SMTP server accepted it, for {@link MailStatus#SENT} only
 */
public record OutboxMail(String id, String runId, String agentId, String from, List<String> to, List<String> cc, List<String> bcc,
    String subject, String body, MailStatus status, String error, Instant createdAt, Instant sentAt) {

  private static final Pattern ID = Pattern.compile("mail_[A-Za-z0-9_-]{1,123}");

  public OutboxMail {
    if (id == null || !ID.matcher(id).matches()) {
      throw new InvalidInputException("mail id '" + id + "' is not valid; ids look like mail_0192f3a4b5c6d7e8");
    }
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    to = List.copyOf(to);
    cc = cc == null ? List.of() : List.copyOf(cc);
    bcc = bcc == null ? List.of() : List.copyOf(bcc);
    createdAt = createdAt.truncatedTo(ChronoUnit.MICROS);
    sentAt = sentAt == null ? null : sentAt.truncatedTo(ChronoUnit.MICROS);
  }

  /** A mail just recorded, not yet sent: {@link MailStatus#HELD} or {@link MailStatus#PENDING}. */
  public static OutboxMail recorded(String id, String runId, String agentId, Email email, MailStatus status, Instant createdAt) {
    if (status != MailStatus.HELD && status != MailStatus.PENDING) {
      throw new InvalidInputException("a mail is recorded as held or pending, not " + status.wire());
    }
    return new OutboxMail(id, runId, agentId, email.from(), email.to(), email.cc(), email.bcc(), email.subject(), email.body(),
        status, null, createdAt, null);
  }

  /** The message itself. */
  @JsonIgnore
  public Email email() {
    return new Email(from, to, cc, bcc, subject, body);
  }

  /** This mail as sent at that time. */
  public OutboxMail sent(Instant at) {
    return new OutboxMail(id, runId, agentId, from, to, cc, bcc, subject, body, MailStatus.SENT, null, createdAt, at);
  }

  /** This mail as failed for that reason. */
  public OutboxMail failed(String reason) {
    return new OutboxMail(id, runId, agentId, from, to, cc, bcc, subject, body, MailStatus.FAILED, reason, createdAt, null);
  }
}
