package dev.maestro.engine.agent;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.maestro.engine.InvalidInputException;
import java.util.Locale;

/** How an agent works: a model reasoning with tools (ReAct), or a deterministic workflow over tools. */
public enum AgentKind {
  REACT,
  WORKFLOW;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static AgentKind parse(String value) {
    for (AgentKind kind : values()) {
      if (kind.wire().equalsIgnoreCase(value)) {
        return kind;
      }
    }
    throw new InvalidInputException("agent kind '" + value + "' is not supported; use 'react' or 'workflow'");
  }
}
