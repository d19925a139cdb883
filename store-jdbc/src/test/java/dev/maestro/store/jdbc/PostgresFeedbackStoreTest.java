package dev.maestro.store.jdbc;

import dev.maestro.engine.learning.FeedbackStore;
import dev.maestro.engine.learning.FeedbackStoreContract;
import org.junit.jupiter.api.AfterEach;

class PostgresFeedbackStoreTest extends FeedbackStoreContract {
  private PostgresSchema schema;
  private JdbcStores stores;

  @Override
  protected FeedbackStore newStore() {
    schema = PostgresSchema.create();
    stores = schema.open();
    return stores.feedback("default");
  }

  @Override
  protected FeedbackStore newStoreInOtherWorkspace() {
    return stores.feedback("other");
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
