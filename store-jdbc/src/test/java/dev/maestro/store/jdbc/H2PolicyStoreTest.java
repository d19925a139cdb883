package dev.maestro.store.jdbc;

import dev.maestro.engine.safety.PolicyStore;
import dev.maestro.engine.safety.PolicyStoreContract;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class H2PolicyStoreTest extends PolicyStoreContract {
  @TempDir Path dataDir;
  private JdbcStores stores;

  @Override
  protected PolicyStore newStore(Clock clock) {
    stores = JdbcStores.openH2(dataDir);
    return stores.policies("default", clock);
  }

  @Override
  protected PolicyStore newStoreInOtherWorkspace() {
    return stores.policies("other");
  }

  @AfterEach
  void close() {
    stores.close();
  }
}
