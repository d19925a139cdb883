package dev.maestro.engine.learning;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.maestro.engine.InvalidInputException;
import java.util.Locale;

/** What a person said of a run: it succeeded, it failed, or it needed correcting. */
public enum FeedbackOutcome {
  SUCCESS,
  FAILURE,
  CORRECTION;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static FeedbackOutcome parse(String value) {
    if (value != null) {
      for (FeedbackOutcome o : values()) {
        if (o.wire().equalsIgnoreCase(value.strip())) {
          return o;
        }
      }
    }
    throw new InvalidInputException("feedback outcome '" + value + "' is not known; use success, failure or correction");
  }
}
