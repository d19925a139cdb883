package dev.maestro.engine.agent;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Lifecycle of an agent: only enabled agents start runs; deleted agents keep their run history. */
public enum AgentStatus {
  CREATED,
  ENABLED,
  PAUSED,
  DELETED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
