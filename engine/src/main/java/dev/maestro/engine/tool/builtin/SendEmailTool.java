package dev.maestro.engine.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.mail.Delivery;
import dev.maestro.engine.mail.Email;
import dev.maestro.engine.mail.MailStatus;
import dev.maestro.engine.mail.Mailer;
import dev.maestro.engine.mail.Outbox;
import dev.maestro.engine.mail.OutboxMail;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolArguments;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.tool.ToolSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * {@code send_email}: writes a plain-text mail. Every mail is first recorded in the workspace's
 * {@link Outbox}; with a {@link Mailer} (SMTP configured) it is then sent and marked sent or failed,
 * without one it stays {@code held} and the model is told that nothing was sent.
 *
 * <p>Medium risk by default; the safety engine raises a call to HIGH when a recipient is outside the
 * organisation's mail domains. Not idempotent: a repeated call sends a second mail.
 */
public final class SendEmailTool implements Tool {
  static final String NAME = "send_email";
  /** The sender of held mails when no SMTP sender is configured. */
  public static final String DEFAULT_FROM = "maestro@localhost";

  private final Outbox outbox;
  private final Mailer mailer;
  private final String from;
  private final Clock clock;
  private final Supplier<String> ids;
  private final ToolSpec spec;

  /** A tool with the system clock and time-ordered {@code mail_...} ids. */
  public SendEmailTool(Outbox outbox, Mailer mailer, String from) {
    this(outbox, mailer, from, Clock.systemUTC(), SendEmailTool::timeOrderedId);
  }

  /**
   * @param outbox where every mail is recorded
   * @param mailer sends mails; null when no mail server is configured, so mails are only held
   * @param from the sender address; null for {@link #DEFAULT_FROM}
   * @param ids makes the ids of new mails, {@code mail_...}
   * @throws InvalidInputException if {@code from} is not an e-mail address
   */
  public SendEmailTool(Outbox outbox, Mailer mailer, String from, Clock clock, Supplier<String> ids) {
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.mailer = mailer;
    this.from = Email.address("from", from == null ? DEFAULT_FROM : from);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
    String recipients = "{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"array\",\"items\":{\"type\":\"string\"}}],"
        + "\"description\":\"%s: one address, several separated by commas, or an array of addresses such as name@example.com\"}";
    this.spec = new ToolSpec(NAME,
        "Sends a plain-text e-mail. Every mail is recorded in the workspace's outbox"
            + (mailer == null ? "; no mail server is configured, so mails are recorded but not sent." : " and sent through the configured mail server."),
        Json.tree("{\"type\":\"object\",\"properties\":{"
            + "\"to\":" + recipients.formatted("recipients") + ","
            + "\"cc\":" + recipients.formatted("copied recipients (optional)") + ","
            + "\"bcc\":" + recipients.formatted("blind-copied recipients (optional)") + ","
            + "\"subject\":{\"type\":\"string\",\"description\":\"one line\"},"
            + "\"body\":{\"type\":\"string\",\"description\":\"the message, plain text\"}},"
            + "\"required\":[\"to\",\"subject\",\"body\"]}"),
        RiskLevel.MEDIUM, false, Duration.ofSeconds(60));
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public String call(JsonNode arguments, ToolContext context) {
    Email email = email(arguments);
    String id = ids.get();
    OutboxMail mail = outbox.add(OutboxMail.recorded(id, context.runId(), context.agentId(), email,
        mailer == null ? MailStatus.HELD : MailStatus.PENDING, clock.instant()));
    if (mailer == null) {
      return result(mail, "recorded in the outbox as " + id + ", not sent: no SMTP server is configured");
    }
    Delivery delivery;
    try {
      delivery = mailer.send(email, context);
    } catch (RuntimeException e) {
      delivery = new Delivery.Failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
    return switch (delivery) {
      case Delivery.Sent sent -> result(outbox.markSent(id, clock.instant()),
          "sent to " + email.recipients().size() + " recipient(s); recorded in the outbox as " + id);
      case Delivery.Failed failed -> {
        outbox.markFailed(id, failed.error());
        throw new ToolException("the mail was not sent: " + failed.error() + "; it is recorded in the outbox as " + id + " (failed)");
      }
    };
  }

  private Email email(JsonNode arguments) {
    try {
      return new Email(from, recipients(arguments, "to"), recipients(arguments, "cc"), recipients(arguments, "bcc"),
          ToolArguments.required(arguments, NAME, "subject"), ToolArguments.optional(arguments, NAME, "body").orElse(null));
    } catch (InvalidInputException e) {
      throw new ToolException(NAME + ": " + e.getMessage());
    }
  }

  /** A string (several addresses separated by commas or semicolons) or an array of strings. */
  static List<String> recipients(JsonNode arguments, String field) {
    JsonNode value = arguments == null ? null : arguments.get(field);
    var addresses = new ArrayList<String>();
    if (value == null || value.isNull()) {
      return addresses;
    }
    if (value.isTextual()) {
      for (String a : value.asText().split("[,;]")) {
        if (!a.isBlank()) {
          addresses.add(a);
        }
      }
    } else if (value.isArray()) {
      for (JsonNode a : value) {
        if (!a.isTextual()) {
          throw new ToolException(NAME + " argument '" + field + "' must hold addresses as strings, not " + ToolArguments.abbreviate(a.toString()));
        }
        addresses.add(a.asText());
      }
    } else {
      throw new ToolException(NAME + " argument '" + field + "' must be an address or an array of addresses, not "
          + value.getNodeType().name().toLowerCase(Locale.ROOT) + " " + ToolArguments.abbreviate(value.toString()));
    }
    return addresses;
  }

  private static String result(OutboxMail mail, String message) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("id", mail.id());
    out.put("status", mail.status().wire());
    out.put("message", message);
    return Json.write(out);
  }

  /** {@code mail_} + milliseconds + random bits, in hex: ids sort by creation time. */
  static String timeOrderedId() {
    return String.format("mail_%012x%016x", System.currentTimeMillis(), ThreadLocalRandom.current().nextLong());
  }
}
