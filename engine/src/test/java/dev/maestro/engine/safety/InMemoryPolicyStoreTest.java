package dev.maestro.engine.safety;

import java.time.Clock;

class InMemoryPolicyStoreTest extends PolicyStoreContract {
  @Override
  protected PolicyStore newStore(Clock clock) {
    return new InMemoryPolicyStore(clock);
  }

  @Override
  protected PolicyStore newStoreInOtherWorkspace() {
    return new InMemoryPolicyStore();
  }
}
