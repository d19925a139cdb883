package dev.maestro.store.jdbc;

import dev.maestro.engine.memory.MemoryStore;
import dev.maestro.engine.memory.MemoryStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class H2MemoryStoreTest extends MemoryStoreContract {
  @TempDir Path dataDir;
  private JdbcStores stores;

  @Override
  protected MemoryStore newStore() {
    stores = JdbcStores.openH2(dataDir);
    return stores.memories("default");
  }

  @Override
  protected MemoryStore newStoreInOtherWorkspace() {
    return stores.memories("other");
  }

  @AfterEach
  void close() {
    stores.close();
  }
}
