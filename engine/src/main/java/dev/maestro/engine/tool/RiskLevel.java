package dev.maestro.engine.tool;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.maestro.engine.InvalidInputException;
import java.util.Locale;

/** How much harm a tool call could do; the safety engine decides from it what a call needs. */
public enum RiskLevel {
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads a level by name, in any case; says which exist when it is none. */
  @JsonCreator
  public static RiskLevel parse(String text) {
    for (RiskLevel level : values()) {
      if (level.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
        return level;
      }
    }
    throw new InvalidInputException("risk level '" + text + "' is not one of low, medium, high, critical");
  }
}
