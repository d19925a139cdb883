package dev.maestro.engine.tool;

class InMemoryHttpToolStoreTest extends HttpToolStoreContract {
  @Override
  protected HttpToolStore newStore() {
    return new InMemoryHttpToolStore();
  }

  @Override
  protected HttpToolStore newStoreInOtherWorkspace() {
    return new InMemoryHttpToolStore();
  }
}
