package dev.maestro.store.jdbc;

import dev.maestro.engine.agent.AgentStore;
import dev.maestro.engine.agent.AgentStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class H2AgentStoreTest extends AgentStoreContract {
  @TempDir Path dataDir;
  private JdbcStores stores;

  @Override
  protected AgentStore newStore() {
    stores = JdbcStores.openH2(dataDir);
    return stores.agents("default");
  }

  @Override
  protected AgentStore newStoreInOtherWorkspace() {
    return stores.agents("other");
  }

  @AfterEach
  void close() {
    stores.close();
  }
}
