package dev.maestro.store.jdbc;

import dev.maestro.engine.mail.Outbox;
import dev.maestro.engine.mail.OutboxContract;
import org.junit.jupiter.api.AfterEach;

class PostgresOutboxTest extends OutboxContract {
  private PostgresSchema schema;
  private JdbcStores stores;

  @Override
  protected Outbox newOutbox() {
    schema = PostgresSchema.create();
    stores = schema.open();
    return stores.outbox("default");
  }

  @Override
  protected Outbox newOutboxInOtherWorkspace() {
    return stores.outbox("other");
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
