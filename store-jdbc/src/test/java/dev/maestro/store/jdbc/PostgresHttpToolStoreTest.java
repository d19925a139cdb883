package dev.maestro.store.jdbc;

import dev.maestro.engine.tool.HttpToolStore;
import dev.maestro.engine.tool.HttpToolStoreContract;
import org.junit.jupiter.api.AfterEach;

class PostgresHttpToolStoreTest extends HttpToolStoreContract {
  private PostgresSchema schema;
  private JdbcStores stores;

  @Override
  protected HttpToolStore newStore() {
    schema = PostgresSchema.create();
    stores = schema.open();
    return stores.httpTools("default");
  }

  @Override
  protected HttpToolStore newStoreInOtherWorkspace() {
    return stores.httpTools("other");
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
