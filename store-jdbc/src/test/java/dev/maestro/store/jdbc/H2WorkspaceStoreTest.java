package dev.maestro.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maestro.engine.auth.Workspace;
import dev.maestro.engine.auth.WorkspaceStore;
import dev.maestro.engine.auth.WorkspaceStoreContract;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2WorkspaceStoreTest extends WorkspaceStoreContract {
  @TempDir Path dataDir;
  private JdbcStores stores;

  @Override
  protected WorkspaceStore newStore(Clock clock) {
    stores = JdbcStores.openH2(dataDir);
    return stores.workspaces(clock);
  }

  @AfterEach
  void close() {
    stores.close();
  }

  @Test
  void lists_the_workspaces_other_stores_created_on_first_use_named_by_their_id() {
    stores.agents("team-x");

    assertThat(store.find("team-x")).map(Workspace::name).contains("team-x");
    assertThat(store.list()).extracting(Workspace::id).containsExactly("team-x");
  }
}
