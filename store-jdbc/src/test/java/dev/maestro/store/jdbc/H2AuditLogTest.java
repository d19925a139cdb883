package dev.maestro.store.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2AuditLogTest extends JdbcAuditLogContract {
  @TempDir Path dataDir;

  @Override
  JdbcStores openStores() {
    return JdbcStores.openH2(dataDir);
  }
}
