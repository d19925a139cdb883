package dev.maestro.store.jdbc;

import dev.maestro.engine.auth.WorkspaceStore;
import dev.maestro.engine.auth.WorkspaceStoreContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;

class PostgresWorkspaceStoreTest extends WorkspaceStoreContract {
  private PostgresSchema schema;
  private JdbcStores stores;

  @Override
  protected WorkspaceStore newStore(Clock clock) {
    schema = PostgresSchema.create();
    stores = schema.open();
    return stores.workspaces(clock);
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
