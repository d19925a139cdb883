package dev.maestro.store.jdbc;

import dev.maestro.engine.run.RunStore;
import dev.maestro.engine.run.RunStoreContract;
import org.junit.jupiter.api.AfterEach;

class PostgresRunStoreTest extends RunStoreContract {
  private PostgresSchema schema;
  private JdbcStores stores;

  @Override
  protected RunStore newStore() {
    schema = PostgresSchema.create();
    stores = schema.open();
    return stores.runs("default");
  }

  @Override
  protected RunStore newStoreInOtherWorkspace() {
    return stores.runs("other");
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
