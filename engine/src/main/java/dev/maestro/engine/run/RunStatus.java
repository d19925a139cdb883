package dev.maestro.engine.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.maestro.engine.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;

/** Where a run is: {@code pending → running → (waiting_approval ⇄ running) → completed | failed | cancelled}. */
public enum RunStatus {
  PENDING,
  RUNNING,
  WAITING_APPROVAL,
  COMPLETED,
  FAILED,
  CANCELLED;

  public boolean terminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static RunStatus parse(String text) {
    for (RunStatus s : values()) {
      if (s.wire().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return s;
      }
    }
    throw new InvalidInputException(
        "run status '" + text + "' is not one of " + Arrays.stream(values()).map(RunStatus::wire).toList());
  }
}
