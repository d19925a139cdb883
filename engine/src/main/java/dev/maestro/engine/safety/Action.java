package dev.maestro.engine.safety;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.maestro.engine.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;

/** What happens to a tool call, from most to least permissive. */
public enum Action {
  /** Executes. */
  ALLOW,
  /** Executes, flagged in the log and the audit trail. */
  LOG,
  /** Waits until enough people approve it. */
  REQUIRE_APPROVAL,
  /** Never executes; the model is told why. */
  BLOCK;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Action parse(String text) {
    for (Action a : values()) {
      if (a.wire().equalsIgnoreCase(text == null ? "" : text.strip())) {
        return a;
      }
    }
    throw new InvalidInputException("action '" + text + "' is not one of " + Arrays.stream(values()).map(Action::wire).toList());
  }

  /** The stricter of the two. */
  Action max(Action other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
