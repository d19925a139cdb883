package dev.maestro.engine.agent;

import java.time.Instant;

/** A stored agent: its spec, where it is in its lifecycle, and when it last changed. */
public record Agent(AgentSpec spec, AgentStatus status, Instant createdAt, Instant updatedAt) {

  public String id() {
    return spec.id();
  }

  public Agent with(AgentStatus newStatus, Instant at) {
    return new Agent(spec, newStatus, createdAt, at);
  }
}
