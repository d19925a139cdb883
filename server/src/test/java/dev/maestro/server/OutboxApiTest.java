package dev.maestro.server;

import static dev.maestro.server.ServerApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.mail.Email;
import dev.maestro.engine.mail.MailStatus;
import dev.maestro.engine.mail.OutboxMail;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.builtin.SendEmailTool;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox endpoints against a real server over an in-memory outbox. */
class OutboxApiTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  @TempDir Path workdir;
  TestServer t;

  @BeforeEach
  void start() {
    t = new TestServer(ServerApiTest.TURNS, workdir); // no run is started: the model is never asked
  }

  @AfterEach
  void stop() {
    t.close();
  }

  static OutboxMail mail(String id, String runId, MailStatus status, Instant at) {
    var email = new Email("maestro@corp.example", List.of("ops@corp.example"), List.of(), List.of("audit@corp.example"),
        "Deploy " + id, "Body of " + id);
    return OutboxMail.recorded(id, runId, "notifier", email, status, at);
  }

  @Test
  void a_mail_written_by_send_email_without_smtp_is_listed_as_held() {
    var tool = new SendEmailTool(t.outbox, null, "maestro@corp.example");
    JsonNode result = Json.tree(tool.call(Json.tree("{\"to\":\"ops@corp.example\",\"subject\":\"Disk full\",\"body\":\"/var is at 99%.\"}"),
        new ToolContext("run_42", "notifier", workdir)));
    String id = result.path("id").asText();

    JsonNode page = t.get("/api/apa/outbox").json();
    assertThat(page.path("mails").findValuesAsText("id")).containsExactly(id);
    JsonNode mail = t.get("/api/apa/outbox/" + id).json();
    assertThat(mail.path("status").asText()).isEqualTo("held");
    assertThat(mail.path("run_id").asText()).isEqualTo("run_42");
    assertThat(mail.path("agent_id").asText()).isEqualTo("notifier");
    assertThat(mail.path("from").asText()).isEqualTo("maestro@corp.example");
    assertThat(mail.path("to").toString()).isEqualTo("[\"ops@corp.example\"]");
    assertThat(mail.path("subject").asText()).isEqualTo("Disk full");
    assertThat(mail.path("body").asText()).isEqualTo("/var is at 99%.");
    assertThat(mail.has("sent_at")).isFalse();
    assertThat(Instant.parse(mail.path("created_at").asText())).isBefore(Instant.now().plusSeconds(1));
  }

  @Test
  void lists_mails_newest_first_with_filters_and_pages() {
    t.outbox.add(mail("mail_1", "run_a", MailStatus.HELD, T0));
    t.outbox.add(mail("mail_2", "run_b", MailStatus.PENDING, T0.plusSeconds(1)));
    t.outbox.add(mail("mail_3", "run_a", MailStatus.PENDING, T0.plusSeconds(2)));
    t.outbox.markSent("mail_2", T0.plusSeconds(3));
    t.outbox.markFailed("mail_3", "550 no such user");

    assertThat(t.get("/api/apa/outbox").json().path("mails").findValuesAsText("id")).containsExactly("mail_3", "mail_2", "mail_1");
    assertThat(t.get("/api/apa/outbox?status=sent").json().path("mails").findValuesAsText("id")).containsExactly("mail_2");
    assertThat(t.get("/api/apa/outbox?run_id=run_a").json().path("mails").findValuesAsText("id")).containsExactly("mail_3", "mail_1");
    assertThat(t.get("/api/apa/outbox?status=HELD&run_id=run_a").json().path("mails").findValuesAsText("id")).containsExactly("mail_1");
    JsonNode first = t.get("/api/apa/outbox?limit=2").json();
    assertThat(first.path("mails").findValuesAsText("id")).containsExactly("mail_3", "mail_2");
    assertThat(first.path("next_offset").asInt()).isEqualTo(2);
    JsonNode last = t.get("/api/apa/outbox?limit=2&offset=2").json();
    assertThat(last.path("mails").findValuesAsText("id")).containsExactly("mail_1");
    assertThat(last.path("next_offset").isNull()).isTrue();
    JsonNode failed = t.get("/api/apa/outbox/mail_3").json();
    assertThat(failed.path("status").asText()).isEqualTo("failed");
    assertThat(failed.path("error").asText()).isEqualTo("550 no such user");
    assertThat(t.get("/api/apa/outbox/mail_2").json().path("sent_at").asText()).isEqualTo("2026-11-22T10:00:03Z");
  }

  @Test
  void says_what_was_wrong_with_a_query_or_an_id() {
    assertProblem(t.get("/api/apa/outbox/mail_nope"), 404, "no mail 'mail_nope' in the outbox");
    assertProblem(t.get("/api/apa/outbox?status=lost"), 400, "mail status 'lost' is not one of [held, pending, sent, failed]");
    assertProblem(t.get("/api/apa/outbox?limit=0"), 400, "ask for 1 to 1000 mails");
    assertProblem(t.get("/api/apa/outbox?offset=x"), 400, "'offset' must be a whole number");
  }

  @Test
  void the_outbox_is_in_the_openapi_document() {
    JsonNode openapi = t.get("/api/openapi.json").json();

    assertThat(openapi.at("/paths/~1api~1apa~1outbox/get/parameters").findValuesAsText("name")).containsExactly("status", "run_id", "limit", "offset");
    assertThat(openapi.at("/paths/~1api~1apa~1outbox~1{id}/get/responses/404").isMissingNode()).isFalse();
    assertThat(openapi.at("/components/schemas/OutboxMail/properties/status/enum").toString()).isEqualTo("[\"held\",\"pending\",\"sent\",\"failed\"]");
  }
}
