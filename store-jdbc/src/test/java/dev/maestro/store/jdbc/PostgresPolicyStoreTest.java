package dev.maestro.store.jdbc;

import dev.maestro.engine.safety.PolicyStore;
import dev.maestro.engine.safety.PolicyStoreContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;

class PostgresPolicyStoreTest extends PolicyStoreContract {
  private PostgresSchema schema;
  private JdbcStores stores;

  @Override
  protected PolicyStore newStore(Clock clock) {
    schema = PostgresSchema.create();
    stores = schema.open();
    return stores.policies("default", clock);
  }

  @Override
  protected PolicyStore newStoreInOtherWorkspace() {
    return stores.policies("other");
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
