package dev.maestro.store.jdbc;

import dev.maestro.engine.learning.FeedbackStore;
import dev.maestro.engine.learning.FeedbackStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class H2FeedbackStoreTest extends FeedbackStoreContract {
  @TempDir Path dataDir;
  private JdbcStores stores;

  @Override
  protected FeedbackStore newStore() {
    stores = JdbcStores.openH2(dataDir);
    return stores.feedback("default");
  }

  @Override
  protected FeedbackStore newStoreInOtherWorkspace() {
    return stores.feedback("other");
  }

  @AfterEach
  void close() {
    stores.close();
  }
}
