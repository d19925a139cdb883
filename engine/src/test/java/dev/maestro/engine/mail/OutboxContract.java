package dev.maestro.engine.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.NotFoundException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link Outbox} does; extended by each implementation's test. */
public abstract class OutboxContract {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123456Z");

  protected Outbox outbox;

  protected abstract Outbox newOutbox();

  /** Another workspace's outbox over the same storage. */
  protected abstract Outbox newOutboxInOtherWorkspace();

  @BeforeEach
  void open() {
    outbox = newOutbox();
  }

  static OutboxMail mail(String id, String runId, MailStatus status, Instant createdAt) {
    var email = new Email("agent@corp.example", List.of("ops@corp.example", "Lead@Partner.example"), List.of("cc@corp.example"),
        List.of("audit@corp.example"), "Deploy 42 failed — résumé", "The deploy failed at step 3.\nSee the log. ✓");
    return OutboxMail.recorded(id, runId, runId == null ? null : "incident-analyst", email, status, createdAt);
  }

  @Test
  void keeps_a_mail_exactly() {
    OutboxMail mail = mail("mail_a1", "run_1", MailStatus.HELD, T0);

    OutboxMail stored = outbox.add(mail);

    assertThat(stored).isEqualTo(mail);
    assertThat(outbox.find("mail_a1")).contains(mail);
    assertThat(outbox.find("mail_a1").orElseThrow().to()).containsExactly("ops@corp.example", "Lead@partner.example");
    assertThat(outbox.find("mail_a1").orElseThrow().email()).isEqualTo(mail.email());
    assertThat(outbox.find("mail_nope")).isEmpty();
  }

  @Test
  void keeps_a_mail_written_outside_a_run_and_a_long_body() {
    var email = new Email("agent@corp.example", List.of("ops@corp.example"), List.of(), List.of(), "Report", "line ✓\n".repeat(20_000));
    OutboxMail mail = OutboxMail.recorded("mail_long", null, null, email, MailStatus.PENDING, T0);

    outbox.add(mail);

    OutboxMail read = outbox.find("mail_long").orElseThrow();
    assertThat(read).isEqualTo(mail);
    assertThat(read.runId()).isNull();
    assertThat(read.cc()).isEmpty();
  }

  @Test
  void lists_newest_first_with_filters_and_pages() {
    outbox.add(mail("mail_1", "run_a", MailStatus.HELD, T0));
    outbox.add(mail("mail_2", "run_b", MailStatus.HELD, T0.plusSeconds(1)));
    outbox.add(mail("mail_3", "run_a", MailStatus.PENDING, T0.plusSeconds(2)));
    outbox.add(mail("mail_4", null, MailStatus.HELD, T0.plusSeconds(2))); // same time as mail_3: the id breaks the tie
    outbox.markSent("mail_3", T0.plusSeconds(3));

    assertThat(ids(OutboxQuery.RECENT)).containsExactly("mail_4", "mail_3", "mail_2", "mail_1");
    assertThat(ids(new OutboxQuery(MailStatus.HELD, null, 50, 0))).containsExactly("mail_4", "mail_2", "mail_1");
    assertThat(ids(new OutboxQuery(null, "run_a", 50, 0))).containsExactly("mail_3", "mail_1");
    assertThat(ids(new OutboxQuery(MailStatus.SENT, "run_a", 50, 0))).containsExactly("mail_3");
    assertThat(ids(new OutboxQuery(MailStatus.FAILED, null, 50, 0))).isEmpty();
    assertThat(ids(new OutboxQuery(null, null, 2, 0))).containsExactly("mail_4", "mail_3");
    assertThat(ids(new OutboxQuery(null, null, 2, 2))).containsExactly("mail_2", "mail_1");
    assertThat(ids(new OutboxQuery(null, null, 2, 4))).isEmpty();
  }

  @Test
  void records_what_became_of_a_mail() {
    outbox.add(mail("mail_ok", "run_1", MailStatus.PENDING, T0));
    outbox.add(mail("mail_ko", "run_1", MailStatus.PENDING, T0));

    OutboxMail sent = outbox.markSent("mail_ok", T0.plusMillis(1500));
    OutboxMail failed = outbox.markFailed("mail_ko", "550 mailbox unavailable: ops@corp.example");

    assertThat(sent.status()).isEqualTo(MailStatus.SENT);
    assertThat(sent.sentAt()).isEqualTo(T0.plusMillis(1500));
    assertThat(outbox.find("mail_ok")).contains(sent);
    assertThat(failed.status()).isEqualTo(MailStatus.FAILED);
    assertThat(failed.sentAt()).isNull();
    assertThat(outbox.find("mail_ko").orElseThrow().error()).isEqualTo("550 mailbox unavailable: ops@corp.example");
    assertThat(outbox.find("mail_ko")).contains(failed);
  }

  @Test
  void settles_a_mail_once() {
    outbox.add(mail("mail_1", "run_1", MailStatus.HELD, T0));
    outbox.markSent("mail_1", T0.plusSeconds(1));

    assertThatThrownBy(() -> outbox.markFailed("mail_1", "too late")).isInstanceOf(ConflictException.class).hasMessageContaining("already sent");
    assertThatThrownBy(() -> outbox.markSent("mail_1", T0.plusSeconds(2))).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> outbox.markSent("mail_none", T0)).isInstanceOf(NotFoundException.class).hasMessageContaining("mail_none");
    assertThat(outbox.find("mail_1").orElseThrow().sentAt()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void refuses_a_second_mail_with_the_same_id() {
    outbox.add(mail("mail_1", "run_1", MailStatus.HELD, T0));

    assertThatThrownBy(() -> outbox.add(mail("mail_1", "run_2", MailStatus.HELD, T0.plusSeconds(1))))
        .isInstanceOf(ConflictException.class).hasMessageContaining("mail_1");
    assertThat(outbox.find("mail_1").orElseThrow().runId()).isEqualTo("run_1");
  }

  @Test
  void keeps_workspaces_apart() {
    outbox.add(mail("mail_1", "run_1", MailStatus.HELD, T0));
    Outbox other = newOutboxInOtherWorkspace();

    assertThat(other.list(OutboxQuery.RECENT)).isEmpty();
    assertThat(other.find("mail_1")).isEmpty();
    assertThatThrownBy(() -> other.markSent("mail_1", T0)).isInstanceOf(NotFoundException.class);
    other.add(mail("mail_1", "run_9", MailStatus.HELD, T0));
    assertThat(outbox.find("mail_1").orElseThrow().runId()).isEqualTo("run_1");
    assertThat(outbox.find("mail_1").orElseThrow().status()).isEqualTo(MailStatus.HELD);
  }

  private List<String> ids(OutboxQuery query) {
    return outbox.list(query).stream().map(OutboxMail::id).toList();
  }
}
