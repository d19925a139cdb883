package dev.maestro.engine.auth;

import java.time.Clock;

class InMemoryWorkspaceStoreTest extends WorkspaceStoreContract {
  @Override
  protected WorkspaceStore newStore(Clock clock) {
    return new InMemoryWorkspaceStore(clock);
  }
}
