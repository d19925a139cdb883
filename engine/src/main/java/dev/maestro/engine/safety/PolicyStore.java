package dev.maestro.engine.safety;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.NotFoundException;
import java.util.List;
import java.util.Optional;

/**
 * The safety policies of one workspace, versioned: every write adds a version and keeps the older
 * ones, and writes name the version they change, so two people editing one policy cannot overwrite
 * each other unknowingly. Implementations: {@link InMemoryPolicyStore}, and the JDBC store.
 */
public interface PolicyStore {

  /** The policies in force (latest version of each, deleted ones left out), by id. */
  List<StoredPolicy> list();

  /** The latest version of the policy, empty if there is none or it is deleted. */
  Optional<StoredPolicy> find(String id);

  /**
   * Stores a new policy as version 1, or, when a policy with its id was deleted, as the version after
   * the deleting one.
   *
   * @throws ConflictException if a policy with this id is in force
   */
  StoredPolicy create(Policy policy, String actor);

  /**
   * Replaces the policy with its id, if its latest version is {@code expectedVersion}.
   *
   * @throws NotFoundException if there is no such policy, or it is deleted
   * @throws ConflictException naming the current version, when it is not {@code expectedVersion}
   */
  StoredPolicy update(Policy policy, int expectedVersion, String actor);

  /**
   * Deletes the policy, if its latest version is {@code expectedVersion}; its history is kept.
   *
   * @return the deleting version
   * @throws NotFoundException if there is no such policy, or it is already deleted
   * @throws ConflictException naming the current version, when it is not {@code expectedVersion}
   */
  StoredPolicy delete(String id, int expectedVersion, String actor);

  /** Every version of the policy, newest first; empty if it never existed. */
  List<StoredPolicy> history(String id);

  /**
   * A number that changes whenever any policy of the workspace is written, and is cheap to read:
   * keep a {@link SafetyEngine} built from {@link #list()} and build it again when this moves.
   */
  long revision();
}
