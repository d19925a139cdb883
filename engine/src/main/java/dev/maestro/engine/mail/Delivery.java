package dev.maestro.engine.mail;

/** What a {@link Mailer} made of one mail. */
public sealed interface Delivery {

  /**
   * The server accepted the mail.
   *
   * @param messageId its Message-ID header, or null if unknown
   */
  record Sent(String messageId) implements Delivery {}

  /**
   * The mail was not accepted.
   *
   * @param error what went wrong, for people (never a password)
   */
  record Failed(String error) implements Delivery {
    public Failed {
      error = error == null || error.isBlank() ? "the mail server gave no reason" : error;
    }
  }
}
