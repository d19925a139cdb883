package dev.maestro.engine.agent;

class InMemoryAgentStoreTest extends AgentStoreContract {
  @Override
  protected AgentStore newStore() {
    return new InMemoryAgentStore();
  }

  @Override
  protected AgentStore newStoreInOtherWorkspace() {
    return new InMemoryAgentStore();
  }
}
