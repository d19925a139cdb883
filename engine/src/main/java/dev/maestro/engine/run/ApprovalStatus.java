package dev.maestro.engine.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.maestro.engine.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;

/** Where an approval request is: {@code pending → approved | rejected | expired}. */
public enum ApprovalStatus {
  PENDING,
  APPROVED,
  REJECTED,
  EXPIRED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static ApprovalStatus parse(String text) {
    for (ApprovalStatus s : values()) {
      if (s.wire().equalsIgnoreCase(text == null ? "" : text.strip())) {
        return s;
      }
    }
    throw new InvalidInputException("approval status '" + text + "' is not one of "
        + Arrays.stream(values()).map(ApprovalStatus::wire).toList());
  }
}
