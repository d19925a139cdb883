package dev.maestro.store.jdbc;

import dev.maestro.engine.agent.AgentStore;
import dev.maestro.engine.agent.AgentStoreContract;
import org.junit.jupiter.api.AfterEach;

class PostgresAgentStoreTest extends AgentStoreContract {
  private PostgresSchema schema;
  private JdbcStores stores;

  @Override
  protected AgentStore newStore() {
    schema = PostgresSchema.create();
    stores = schema.open();
    return stores.agents("default");
  }

  @Override
  protected AgentStore newStoreInOtherWorkspace() {
    return stores.agents("other");
  }

  @AfterEach
  void close() {
    if (stores != null) {
      stores.close();
    }
    if (schema != null) {
      schema.close();
    }
  }
}
