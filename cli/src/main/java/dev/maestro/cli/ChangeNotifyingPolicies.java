package dev.maestro.cli;

import dev.maestro.engine.safety.Policy;
import dev.maestro.engine.safety.PolicyStore;
import dev.maestro.engine.safety.StoredPolicy;
import java.util.List;
import java.util.Optional;

/** A policy store that says when it was written to, so the safety engine built from it is rebuilt at once. */
record ChangeNotifyingPolicies(PolicyStore store, Runnable onChange) implements PolicyStore {

  @Override
  public List<StoredPolicy> list() {
    return store.list();
  }

  @Override
  public Optional<StoredPolicy> find(String id) {
    return store.find(id);
  }

  @Override
  public StoredPolicy create(Policy policy, String actor) {
    StoredPolicy stored = store.create(policy, actor);
    onChange.run();
    return stored;
  }

  @Override
  public StoredPolicy update(Policy policy, int expectedVersion, String actor) {
    StoredPolicy stored = store.update(policy, expectedVersion, actor);
    onChange.run();
    return stored;
  }

  @Override
  public StoredPolicy delete(String id, int expectedVersion, String actor) {
    StoredPolicy stored = store.delete(id, expectedVersion, actor);
    onChange.run();
    return stored;
  }

  @Override
  public List<StoredPolicy> history(String id) {
    return store.history(id);
  }

  @Override
  public long revision() {
    return store.revision();
  }
}
