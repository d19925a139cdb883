package dev.maestro.engine.run;

class InMemoryRunStoreTest extends RunStoreContract {
  @Override
  protected RunStore newStore() {
    return new InMemoryRunStore();
  }

  @Override
  protected RunStore newStoreInOtherWorkspace() {
    return new InMemoryRunStore();
  }
}
