package dev.maestro.engine.auth;

/** What a request needs to be allowed to do; a {@link Role} grants a fixed set of these. */
public enum Permission {
  /** Read anything in the workspace. */
  READ,
  /** Change agents, runs and tools: create, update, start, cancel, register. */
  OPERATE,
  /** Approve or reject tool calls waiting for a person. */
  APPROVE,
  /** Manage tokens, policies and the workspace itself. */
  ADMINISTER
}
