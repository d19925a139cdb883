package dev.maestro.cli;

import dev.maestro.engine.mail.Delivery;
import dev.maestro.engine.mail.Email;
import dev.maestro.engine.mail.Mailer;
import dev.maestro.engine.tool.ToolContext;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Sends send_email's mails through the configured SMTP server (Jakarta Mail), one connection per
 * mail: agents send few mails, and a connection kept open would only go stale between them.
 */
final class SmtpMailer implements Mailer {
  /** How long to wait for the server to accept a connection, and then for each reply or write. */
  private static final String CONNECT_TIMEOUT_MILLIS = "10000";
  private static final String IO_TIMEOUT_MILLIS = "30000";
  private static final Pattern HEADER_SAFE = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

  private final MaestroConfig.Smtp smtp;
  private final Session session;

  SmtpMailer(MaestroConfig.Smtp smtp) {
    this.smtp = smtp;
    var properties = new Properties();
    properties.setProperty("mail.smtp.host", smtp.host());
    properties.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
    properties.setProperty("mail.smtp.connectiontimeout", CONNECT_TIMEOUT_MILLIS);
    properties.setProperty("mail.smtp.timeout", IO_TIMEOUT_MILLIS);
    properties.setProperty("mail.smtp.writetimeout", IO_TIMEOUT_MILLIS);
    properties.setProperty("mail.smtp.auth", Boolean.toString(smtp.username() != null));
    if (smtp.starttls()) {
      // required, not just enabled: never log in or send over a connection that stayed in the clear
      properties.setProperty("mail.smtp.starttls.enable", "true");
      properties.setProperty("mail.smtp.starttls.required", "true");
    }
    this.session = Session.getInstance(properties);
  }

  @Override
  public Delivery send(Email email, ToolContext context) {
    try {
      var message = new MimeMessage(session);
      message.setFrom(new InternetAddress(email.from(), true));
      message.setRecipients(Message.RecipientType.TO, addresses(email.to()));
      if (!email.cc().isEmpty()) {
        message.setRecipients(Message.RecipientType.CC, addresses(email.cc()));
      }
      if (!email.bcc().isEmpty()) {
        message.setRecipients(Message.RecipientType.BCC, addresses(email.bcc()));
      }
      message.setSubject(email.subject(), StandardCharsets.UTF_8.name());
      message.setText(email.body(), StandardCharsets.UTF_8.name());
      message.setSentDate(new Date());
      header(message, "X-Maestro-Run", context.runId());
      header(message, "X-Maestro-Agent", context.agentId());
      message.saveChanges();
      try (Transport transport = session.getTransport("smtp")) {
        transport.connect(smtp.host(), smtp.port(), smtp.username(), smtp.password());
        transport.sendMessage(message, message.getAllRecipients()); // Bcc recipients get the mail; the header is left out
      }
      return new Delivery.Sent(message.getMessageID());
    } catch (MessagingException e) {
      return new Delivery.Failed("the SMTP server " + smtp.host() + ":" + smtp.port() + " refused or could not be reached: " + describe(e));
    }
  }

  private static InternetAddress[] addresses(List<String> addresses) throws AddressException {
    var result = new InternetAddress[addresses.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = new InternetAddress(addresses.get(i), true);
    }
    return result;
  }

  private static void header(MimeMessage message, String name, String value) throws MessagingException {
    if (value != null && HEADER_SAFE.matcher(value).matches()) {
      message.setHeader(name, value);
    }
  }

  /** The message and its causes, one line, without the password. */
  private String describe(Throwable e) {
    var text = new StringBuilder();
    for (Throwable t = e; t != null && text.length() < 500; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip().replaceAll("\\s+", " ");
      if (text.indexOf(m) < 0) {
        text.append(text.isEmpty() ? "" : ": ").append(m);
      }
    }
    String line = text.toString();
    return smtp.password() == null || smtp.password().isEmpty() ? line : line.replace(smtp.password(), "<password>");
  }
}
