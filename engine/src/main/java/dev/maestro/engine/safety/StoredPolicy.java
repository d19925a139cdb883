package dev.maestro.engine.safety;

import java.time.Instant;

/**
 * One version of a stored policy.
 *
 * @param version 1 for the first, one more for each later write (deleting and creating again included)
 * @param deleted whether this version deleted the policy; its {@code policy} is then the last one in force
 * @param updatedBy who wrote this version, as the audit trail names them
 */
public record StoredPolicy(Policy policy, int version, boolean deleted, Instant updatedAt, String updatedBy) {

  /** The policy's id. */
  public String id() {
    return policy.id();
  }
}
