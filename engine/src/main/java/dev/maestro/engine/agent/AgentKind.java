package dev.maestro.engine.agent;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.maestro.engine.InvalidInputException;
import java.util.Locale;

/** How an agent works. Only the ReAct reasoning loop exists so far; workflows come later. */
public enum AgentKind {
  REACT;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static AgentKind parse(String value) {
    if (value != null && value.equalsIgnoreCase("react")) {
      return REACT;
    }
    throw new InvalidInputException(
        "agent kind '" + value + "' is not supported; use 'react' (workflow agents are not available yet)");
  }
}
