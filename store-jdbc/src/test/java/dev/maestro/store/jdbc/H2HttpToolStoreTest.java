package dev.maestro.store.jdbc;

import dev.maestro.engine.tool.HttpToolStore;
import dev.maestro.engine.tool.HttpToolStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class H2HttpToolStoreTest extends HttpToolStoreContract {
  @TempDir Path dataDir;
  private JdbcStores stores;

  @Override
  protected HttpToolStore newStore() {
    stores = JdbcStores.openH2(dataDir);
    return stores.httpTools("default");
  }

  @Override
  protected HttpToolStore newStoreInOtherWorkspace() {
    return stores.httpTools("other");
  }

  @AfterEach
  void close() {
    stores.close();
  }
}
