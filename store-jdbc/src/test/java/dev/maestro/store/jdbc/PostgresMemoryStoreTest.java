package dev.maestro.store.jdbc;

import dev.maestro.engine.memory.MemoryStore;
import dev.maestro.engine.memory.MemoryStoreContract;
import org.junit.jupiter.api.AfterEach;

class PostgresMemoryStoreTest extends MemoryStoreContract {
  private PostgresSchema schema;
  private JdbcStores stores;

  @Override
  protected MemoryStore newStore() {
    schema = PostgresSchema.create();
    stores = schema.open();
    return stores.memories("default");
  }

  @Override
  protected MemoryStore newStoreInOtherWorkspace() {
    return stores.memories("other");
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
