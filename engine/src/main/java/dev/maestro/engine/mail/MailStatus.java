package dev.maestro.engine.mail;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.maestro.engine.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where a mail in the outbox is. {@code held}: recorded and not sent, because no SMTP server is
 * configured. {@code pending}: handed to the mailer, outcome not yet known (a mail left pending by
 * a crash may or may not have gone out). {@code sent} and {@code failed}: the mailer's verdict.
 */
public enum MailStatus {
  HELD,
  PENDING,
  SENT,
  FAILED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads a status by name, in any case; says which exist when it is none. */
  @JsonCreator
  public static MailStatus parse(String text) {
    for (MailStatus s : values()) {
      if (s.wire().equalsIgnoreCase(text == null ? "" : text.strip())) {
        return s;
      }
    }
    throw new InvalidInputException("mail status '" + text + "' is not one of " + Arrays.stream(values()).map(MailStatus::wire).toList());
  }
}
