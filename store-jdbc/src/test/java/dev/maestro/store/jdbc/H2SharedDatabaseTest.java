package dev.maestro.store.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2SharedDatabaseTest extends SharedDatabaseContract {
  @TempDir Path dataDir;

  @Override
  JdbcStores open() {
    return JdbcStores.openH2(dataDir);
  }
}
