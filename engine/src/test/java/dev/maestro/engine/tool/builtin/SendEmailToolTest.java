package dev.maestro.engine.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.mail.Delivery;
import dev.maestro.engine.mail.Email;
import dev.maestro.engine.mail.InMemoryOutbox;
import dev.maestro.engine.mail.MailStatus;
import dev.maestro.engine.mail.Mailer;
import dev.maestro.engine.mail.OutboxMail;
import dev.maestro.engine.mail.OutboxQuery;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * send_email over an in-memory outbox. The mailers here are small SPI implementations that record
 * or refuse; real SMTP delivery is tested in the cli module against an in-process SMTP server.
 */
class SendEmailToolTest {
  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  static final ToolContext RUN = new ToolContext("run_7", "notifier", Path.of("."));

  final InMemoryOutbox outbox = new InMemoryOutbox();
  final AtomicInteger next = new AtomicInteger();

  SendEmailTool tool(Mailer mailer) {
    return new SendEmailTool(outbox, mailer, "maestro@corp.example", Clock.fixed(NOW, ZoneOffset.UTC), () -> "mail_" + next.incrementAndGet());
  }

  static JsonNode args(String json) {
    return Json.tree(json);
  }

  @Test
  void without_a_mail_server_records_the_mail_as_held_and_says_nothing_was_sent() {
    JsonNode result = Json.tree(tool(null).call(
        args("{\"to\":\"ops@corp.example, lead@partner.example\",\"cc\":[\"cc@corp.example\"],\"subject\":\"Deploy failed\",\"body\":\"Step 3.\"}"),
        RUN));

    assertThat(result.path("status").asText()).isEqualTo("held");
    assertThat(result.path("message").asText()).isEqualTo("recorded in the outbox as mail_1, not sent: no SMTP server is configured");
    OutboxMail mail = outbox.find("mail_1").orElseThrow();
    assertThat(mail.status()).isEqualTo(MailStatus.HELD);
    assertThat(mail.to()).containsExactly("ops@corp.example", "lead@partner.example");
    assertThat(mail.cc()).containsExactly("cc@corp.example");
    assertThat(mail.from()).isEqualTo("maestro@corp.example");
    assertThat(mail.runId()).isEqualTo("run_7");
    assertThat(mail.agentId()).isEqualTo("notifier");
    assertThat(mail.createdAt()).isEqualTo(NOW);
    assertThat(mail.sentAt()).isNull();
  }

  @Test
  void with_a_mailer_sends_and_marks_the_mail_sent() {
    List<Email> delivered = new ArrayList<>();
    List<MailStatus> statusWhileSending = new ArrayList<>();
    Mailer mailer = (email, context) -> {
      statusWhileSending.add(outbox.find("mail_1").orElseThrow().status());
      delivered.add(email);
      return new Delivery.Sent("<1@corp.example>");
    };

    JsonNode result = Json.tree(tool(mailer).call(
        args("{\"to\":[\"ops@corp.example\"],\"bcc\":\"audit@corp.example\",\"subject\":\"Done\",\"body\":\"All good.\"}"), RUN));

    assertThat(result.path("status").asText()).isEqualTo("sent");
    assertThat(result.path("message").asText()).isEqualTo("sent to 2 recipient(s); recorded in the outbox as mail_1");
    assertThat(statusWhileSending).containsExactly(MailStatus.PENDING);
    assertThat(delivered).singleElement().satisfies(e -> {
      assertThat(e.bcc()).containsExactly("audit@corp.example");
      assertThat(e.subject()).isEqualTo("Done");
    });
    OutboxMail mail = outbox.find("mail_1").orElseThrow();
    assertThat(mail.status()).isEqualTo(MailStatus.SENT);
    assertThat(mail.sentAt()).isEqualTo(NOW);
  }

  @Test
  void a_refused_mail_is_marked_failed_and_the_model_is_told() {
    Mailer refusing = (email, context) -> new Delivery.Failed("550 relay not permitted");
    Mailer throwing = (email, context) -> {
      throw new IllegalStateException("connection reset");
    };
    String call = "{\"to\":\"ops@corp.example\",\"subject\":\"s\",\"body\":\"b\"}";

    assertThatThrownBy(() -> tool(refusing).call(args(call), RUN))
        .isInstanceOf(ToolException.class)
        .hasMessage("the mail was not sent: 550 relay not permitted; it is recorded in the outbox as mail_1 (failed)");
    assertThatThrownBy(() -> tool(throwing).call(args(call), RUN)).hasMessageContaining("connection reset").hasMessageContaining("mail_2");

    assertThat(outbox.list(new OutboxQuery(MailStatus.FAILED, "run_7", 10, 0))).extracting(OutboxMail::error)
        .containsExactly("connection reset", "550 relay not permitted");
  }

  @Test
  void refuses_bad_arguments_naming_what_was_wrong_and_records_nothing() {
    SendEmailTool tool = tool(null);

    assertThatThrownBy(() -> tool.call(args("{\"to\":\"ops@corp.example, not-an-address\",\"subject\":\"s\",\"body\":\"b\"}"), RUN))
        .isInstanceOf(ToolException.class).hasMessageContaining("'not-an-address' in 'to' is not an e-mail address");
    assertThatThrownBy(() -> tool.call(args("{\"subject\":\"s\",\"body\":\"b\"}"), RUN)).hasMessageContaining("at least one 'to' recipient");
    assertThatThrownBy(() -> tool.call(args("{\"to\":42,\"subject\":\"s\",\"body\":\"b\"}"), RUN)).hasMessageContaining("'to' must be an address");
    assertThatThrownBy(() -> tool.call(args("{\"to\":[\"a@corp.example\",7],\"subject\":\"s\",\"body\":\"b\"}"), RUN)).hasMessageContaining("as strings");
    assertThatThrownBy(() -> tool.call(args("{\"to\":\"a@corp.example\",\"body\":\"b\"}"), RUN)).hasMessageContaining("'subject'");
    assertThatThrownBy(() -> tool.call(args("{\"to\":\"a@corp.example\",\"subject\":\"s\"}"), RUN)).hasMessageContaining("'body'");
    assertThat(outbox.list(OutboxQuery.RECENT)).isEmpty();
  }

  @Test
  void is_medium_risk_not_idempotent_and_keeps_the_argument_names_the_safety_rules_read() {
    var spec = tool(null).spec();

    assertThat(spec.risk()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(spec.idempotent()).isFalse();
    assertThat(spec.parameters().path("properties").fieldNames()).toIterable().containsExactly("to", "cc", "bcc", "subject", "body");
    assertThat(spec.description()).contains("recorded but not sent");
    assertThat(tool((e, c) -> new Delivery.Sent(null)).spec().description()).contains("sent through the configured mail server");
  }

  @Test
  void ids_sort_by_creation_time() throws InterruptedException {
    String first = SendEmailTool.timeOrderedId();
    Thread.sleep(2);
    String second = SendEmailTool.timeOrderedId();

    assertThat(first).startsWith("mail_").hasSize(33);
    assertThat(second).isGreaterThan(first);
  }
}
