package dev.maestro.engine.tool;

import com.fasterxml.jackson.annotation.JsonValue;
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
}
