package dev.maestro.store.jdbc;

import dev.maestro.engine.mail.Outbox;
import dev.maestro.engine.mail.OutboxContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class H2OutboxTest extends OutboxContract {
  @TempDir Path dataDir;
  private JdbcStores stores;

  @Override
  protected Outbox newOutbox() {
    stores = JdbcStores.openH2(dataDir);
    return stores.outbox("default");
  }

  @Override
  protected Outbox newOutboxInOtherWorkspace() {
    return stores.outbox("other");
  }

  @AfterEach
  void close() {
    stores.close();
  }
}
