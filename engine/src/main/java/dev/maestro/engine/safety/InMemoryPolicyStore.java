package dev.maestro.engine.safety;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The policies of one workspace kept in memory, every version of each: for tests and embedding without a database. */
public final class InMemoryPolicyStore implements PolicyStore {
  private final Clock clock;
  // Versions of each policy, oldest first.
  private final Map<String, List<StoredPolicy>> versions = new TreeMap<>();
  private long revision;

  public InMemoryPolicyStore() {
    this(Clock.systemUTC());
  }

  public InMemoryPolicyStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized List<StoredPolicy> list() {
    var out = new ArrayList<StoredPolicy>();
    for (List<StoredPolicy> v : versions.values()) {
      if (!v.getLast().deleted()) {
        out.add(v.getLast());
      }
    }
    return out;
  }

  @Override
  public synchronized Optional<StoredPolicy> find(String id) {
    List<StoredPolicy> v = versions.get(id);
    return v == null || v.getLast().deleted() ? Optional.empty() : Optional.of(v.getLast());
  }

  @Override
  public synchronized StoredPolicy create(Policy policy, String actor) {
    checkActor(actor);
    List<StoredPolicy> v = versions.computeIfAbsent(policy.id(), id -> new ArrayList<>());
    if (!v.isEmpty() && !v.getLast().deleted()) {
      throw inForce(v.getLast());
    }
    return add(v, new StoredPolicy(policy, v.size() + 1, false, now(), actor));
  }

  @Override
  public synchronized StoredPolicy update(Policy policy, int expectedVersion, String actor) {
    checkActor(actor);
    StoredPolicy current = current(policy.id(), expectedVersion);
    return add(versions.get(policy.id()), new StoredPolicy(policy, current.version() + 1, false, now(), actor));
  }

  @Override
  public synchronized StoredPolicy delete(String id, int expectedVersion, String actor) {
    checkActor(actor);
    StoredPolicy current = current(id, expectedVersion);
    return add(versions.get(id), new StoredPolicy(current.policy(), current.version() + 1, true, now(), actor));
  }

  @Override
  public synchronized List<StoredPolicy> history(String id) {
    List<StoredPolicy> v = versions.getOrDefault(id, List.of());
    return List.copyOf(v.reversed());
  }

  @Override
  public synchronized long revision() {
    return revision;
  }

  private StoredPolicy current(String id, int expectedVersion) {
    List<StoredPolicy> v = versions.get(id);
    if (v == null || v.isEmpty()) {
      throw notFound(id);
    }
    StoredPolicy last = v.getLast();
    if (last.deleted()) {
      throw deleted(last);
    }
    if (last.version() != expectedVersion) {
      throw stale(last, expectedVersion);
    }
    return last;
  }

  private StoredPolicy add(List<StoredPolicy> v, StoredPolicy p) {
    v.add(p);
    revision++;
    return p;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  static void checkActor(String actor) {
    if (actor == null || actor.isBlank() || actor.length() > 200) {
      throw new InvalidInputException("policy author '" + actor + "' is not valid; name who writes the policy in 1-200 characters");
    }
  }

  static NotFoundException notFound(String id) {
    return new NotFoundException("no policy '" + id + "' in this workspace; list the policies to see their ids");
  }

  static NotFoundException deleted(StoredPolicy last) {
    return new NotFoundException("policy '" + last.id() + "' was deleted (version " + last.version() + "); create it again to bring it back");
  }

  static ConflictException stale(StoredPolicy last, int expectedVersion) {
    return new ConflictException("policy '" + last.id() + "' is at version " + last.version() + ", not " + expectedVersion
        + "; someone changed it since you read it: read it again and reapply your change");
  }

  static ConflictException inForce(StoredPolicy last) {
    return new ConflictException("policy '" + last.id() + "' already exists (version " + last.version()
        + "); update it with its version, or delete it first");
  }
}
