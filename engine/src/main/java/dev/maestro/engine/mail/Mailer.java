package dev.maestro.engine.mail;

import dev.maestro.engine.tool.ToolContext;

/**
 * Hands a mail to a mail server. The engine has no implementation: the application installs one
 * (SMTP) when it is configured, and without one {@code send_email} only records mails as held.
 */
public interface Mailer {

  /**
   * Sends the mail; a refusal or an unreachable server is a {@link Delivery.Failed}, not an
   * exception.
   *
   * @param context the run that asked, for tracing headers
   */
  Delivery send(Email email, ToolContext context);
}
