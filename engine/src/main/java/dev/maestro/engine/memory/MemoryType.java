package dev.maestro.engine.memory;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.maestro.engine.InvalidInputException;
import java.util.Locale;

/**
 * The kinds of memory an agent keeps (after the cognitive-architecture split used by Generative
 * Agents and CoALA): what happened in runs, facts, and how-to knowledge such as lessons from
 * feedback.
 */
public enum MemoryType {
  EPISODIC,
  SEMANTIC,
  PROCEDURAL;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws InvalidInputException naming the accepted values
   */
  @JsonCreator
  public static MemoryType parse(String value) {
    if (value != null) {
      for (MemoryType t : values()) {
        if (t.wire().equalsIgnoreCase(value.strip())) {
          return t;
        }
      }
    }
    throw new InvalidInputException("memory type '" + value + "' is not known; use episodic, semantic or procedural");
  }
}
