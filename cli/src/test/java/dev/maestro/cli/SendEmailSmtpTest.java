package dev.maestro.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.mail.MailStatus;
import dev.maestro.engine.mail.OutboxMail;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** send_email wired by the application, delivering to GreenMail, a real SMTP server in this process. */
class SendEmailSmtpTest {
  static final String PASSWORD = "s3cret-Pa55";

  @RegisterExtension
  static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
      .withConfiguration(GreenMailConfiguration.aConfig().withUser("bot@corp.example", "bot", PASSWORD));

  @TempDir Path dataDir;
  final Map<String, String> env = new HashMap<>();
  Application app;

  Application open(String mailYaml) throws IOException {
    Files.writeString(dataDir.resolve("config.yaml"), mailYaml);
    env.put("MAESTRO_DATA_DIR", dataDir.toString());
    app = new Application(MaestroConfig.load(null, null, env), null);
    return app;
  }

  @AfterEach
  void close() {
    if (app != null) {
      app.close();
    }
  }

  static ToolContext run(Path workdir) {
    return new ToolContext("run_0190abc", "notifier", workdir);
  }

  static String smtp(int port, String extra) {
    return "mail:\n  smtp: {host: 127.0.0.1, port: " + port + ", starttls: false, from: maestro@corp.example" + extra + "}\n";
  }

  @Test
  void delivers_to_every_recipient_and_marks_the_mail_sent() throws Exception {
    Tool sendEmail = open(smtp(SMTP.getSmtp().getPort(), "")).tools.find("send_email").orElseThrow();

    JsonNode result = Json.tree(sendEmail.call(Json.tree("""
        {"to": ["ops@corp.example", "lead@partner.example"], "cc": "cc@corp.example", "bcc": ["audit@corp.example"],
         "subject": "Deploy 42 failed — résumé", "body": "The deploy failed at step 3.\\nRollback done ✓"}"""), run(dataDir)));

    assertThat(result.path("status").asText()).isEqualTo("sent");
    assertThat(SMTP.waitForIncomingEmail(5_000, 4)).as("one delivery per recipient").isTrue();
    MimeMessage[] received = SMTP.getReceivedMessages();
    assertThat(received).hasSize(4);
    MimeMessage message = received[0];
    assertThat(message.getSubject()).isEqualTo("Deploy 42 failed — résumé");
    assertThat(message.getContent().toString().replace("\r\n", "\n").strip()).as("the body, SMTP line ends aside").isEqualTo("The deploy failed at step 3.\nRollback done ✓");
    assertThat(text(message.getFrom())).isEqualTo("maestro@corp.example");
    assertThat(text(message.getRecipients(Message.RecipientType.TO))).isEqualTo("ops@corp.example, lead@partner.example");
    assertThat(text(message.getRecipients(Message.RecipientType.CC))).isEqualTo("cc@corp.example");
    assertThat(message.getHeader("Bcc")).as("blind copies stay blind").isNull();
    assertThat(message.getHeader("X-Maestro-Run")).containsExactly("run_0190abc");
    for (String recipient : new String[] {"ops@corp.example", "lead@partner.example", "cc@corp.example", "audit@corp.example"}) {
      assertThat(SMTP.getUserManager().getUserByEmail(recipient)).as("a mailbox that received the mail for " + recipient).isNotNull();
    }

    OutboxMail mail = app.outbox.find(result.path("id").asText()).orElseThrow();
    assertThat(mail.status()).isEqualTo(MailStatus.SENT);
    assertThat(mail.sentAt()).isNotNull();
    assertThat(mail.bcc()).containsExactly("audit@corp.example");
  }

  @Test
  void logs_in_with_the_password_from_the_environment() throws Exception {
    env.put("MAESTRO_SMTP_PASSWORD", PASSWORD);
    Tool sendEmail = open(smtp(SMTP.getSmtp().getPort(), ", username: bot")).tools.find("send_email").orElseThrow();

    JsonNode result = Json.tree(sendEmail.call(Json.tree("{\"to\":\"ops@corp.example\",\"subject\":\"Hi\",\"body\":\"Logged in.\"}"), run(dataDir)));

    assertThat(result.path("status").asText()).isEqualTo("sent");
    assertThat(SMTP.waitForIncomingEmail(5_000, 1)).isTrue();
    assertThat(SMTP.getReceivedMessages()[0].getSubject()).isEqualTo("Hi");
  }

  @Test
  void a_refused_login_is_recorded_as_failed_without_the_password() throws Exception {
    env.put("MAESTRO_SMTP_PASSWORD", "wrong-" + PASSWORD);
    Tool sendEmail = open(smtp(SMTP.getSmtp().getPort(), ", username: bot")).tools.find("send_email").orElseThrow();

    assertThatThrownBy(() -> sendEmail.call(Json.tree("{\"to\":\"ops@corp.example\",\"subject\":\"Hi\",\"body\":\"b\"}"), run(dataDir)))
        .isInstanceOf(ToolException.class)
        .hasMessageStartingWith("the mail was not sent: the SMTP server 127.0.0.1:" + SMTP.getSmtp().getPort())
        .hasMessageContaining("(failed)")
        .hasMessageNotContaining(PASSWORD);

    OutboxMail mail = app.outbox.list(dev.maestro.engine.mail.OutboxQuery.RECENT).getFirst();
    assertThat(mail.status()).isEqualTo(MailStatus.FAILED);
    assertThat(mail.error()).isNotBlank().doesNotContain(PASSWORD);
    assertThat(SMTP.getReceivedMessages()).isEmpty();
  }

  @Test
  void an_unreachable_server_is_recorded_as_failed() throws Exception {
    int closedPort;
    try (var socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Tool sendEmail = open(smtp(closedPort, "")).tools.find("send_email").orElseThrow();

    assertThatThrownBy(() -> sendEmail.call(Json.tree("{\"to\":\"ops@corp.example\",\"subject\":\"Hi\",\"body\":\"b\"}"), run(dataDir)))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("could not be reached")
        .hasMessageContaining("Connection refused");
    assertThat(app.outbox.list(dev.maestro.engine.mail.OutboxQuery.RECENT)).extracting(OutboxMail::status).containsExactly(MailStatus.FAILED);
  }

  @Test
  void without_smtp_the_mail_is_held_and_nothing_is_sent() throws Exception {
    Tool sendEmail = open("mail:\n  smtp: {from: agents@corp.example}\n").tools.find("send_email").orElseThrow();

    JsonNode result = Json.tree(sendEmail.call(Json.tree("{\"to\":\"ops@corp.example\",\"subject\":\"Hi\",\"body\":\"b\"}"), run(dataDir)));

    assertThat(result.path("message").asText()).isEqualTo("recorded in the outbox as " + result.path("id").asText()
        + ", not sent: no SMTP server is configured");
    OutboxMail mail = app.outbox.find(result.path("id").asText()).orElseThrow();
    assertThat(mail.status()).isEqualTo(MailStatus.HELD);
    assertThat(mail.from()).isEqualTo("agents@corp.example");
    Thread.sleep(200);
    assertThat(SMTP.getReceivedMessages()).isEmpty();
  }

  private static String text(Address[] addresses) {
    return String.join(", ", Arrays.stream(addresses).map(Address::toString).toList());
  }
}
