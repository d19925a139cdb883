package dev.maestro.store.jdbc;

import dev.maestro.engine.run.RunStore;
import dev.maestro.engine.run.RunStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class H2RunStoreTest extends RunStoreContract {
  @TempDir Path dataDir;
  private JdbcStores stores;

  @Override
  protected RunStore newStore() {
    stores = JdbcStores.openH2(dataDir);
    return stores.runs("default");
  }

  @Override
  protected RunStore newStoreInOtherWorkspace() {
    return stores.runs("other");
  }

  @AfterEach
  void close() {
    stores.close();
  }
}
