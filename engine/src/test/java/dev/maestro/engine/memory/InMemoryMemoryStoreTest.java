package dev.maestro.engine.memory;

class InMemoryMemoryStoreTest extends MemoryStoreContract {
  @Override
  protected MemoryStore newStore() {
    return new InMemoryMemoryStore();
  }

  @Override
  protected MemoryStore newStoreInOtherWorkspace() {
    return new InMemoryMemoryStore();
  }
}
