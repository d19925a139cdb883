package dev.maestro.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEvent.Thought;
import dev.maestro.engine.run.RunQuery;
import dev.maestro.engine.run.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcStoresTest {
  @TempDir Path dataDir;

  @Test
  void names_the_server_and_what_to_check_when_postgres_cannot_be_reached() {
    // Port 1 refuses connections at once.
    assertThatThrownBy(() -> JdbcStores.open("jdbc:postgresql://127.0.0.1:1/maestro?password=s3cret", "maestro", "s3cret"))
        .isInstanceOf(MaestroException.class)
        .hasMessageStartingWith("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/maestro?password=***: ")
        .hasMessageContaining("check MAESTRO_DB_URL")
        .hasMessageNotContaining("s3cret")
        .satisfies(e -> assertThat(((MaestroException) e).retryable()).isTrue());
  }

  @Test
  void refuses_a_url_for_another_database() {
    assertThatThrownBy(() -> JdbcStores.open("jdbc:mysql://localhost/maestro", "root", null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'jdbc:mysql://localhost/maestro' is not supported")
        .hasMessageContaining("jdbc:postgresql://");
  }

  @Test
  void creates_the_h2_file_in_the_data_directory_and_describes_it() {
    Path dir = dataDir.resolve("new/dir");
    try (var stores = JdbcStores.openH2(dir)) {
      assertThat(stores.describe()).isEqualTo("H2 file " + dir.toAbsolutePath().resolve("maestro.mv.db"));
    }
    assertThat(Files.exists(dir.resolve("maestro.mv.db"))).isTrue();
  }

  @Test
  void keeps_runs_across_reopening() {
    try (var stores = JdbcStores.openH2(dataDir)) {
      stores.runs("team-a").append("run-1", 0, Instant.EPOCH, List.of(Fixtures.created()));
    }
    try (var stores = JdbcStores.openH2(dataDir)) {
      assertThat(stores.runs("team-a").events("run-1", 0)).hasSize(1);
      assertThat(stores.runs("team-a").append("run-1", 1, Instant.EPOCH, List.of(new Thought(1, "again")))).hasSize(1);
    }
  }

  @Test
  void fails_only_the_append_that_breaks_a_batch() throws Exception {
    try (var stores = JdbcStores.openH2(dataDir)) {
      // Run ids are unique across workspaces, so creating 'taken' in another one fails on the key.
      stores.runs("team-a").append("taken", 0, Instant.EPOCH, List.of(Fixtures.created()));
      RunStore runs = stores.runs("team-b");
      var start = new CountDownLatch(1);
      var results = new ArrayList<Future<List<RecordedEvent>>>();
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        for (String id : List.of("r1", "r2", "r3", "taken", "r4", "r5", "r6")) {
          results.add(threads.submit(() -> {
            start.await();
            return runs.append(id, 0, Instant.EPOCH, List.of(Fixtures.created()));
          }));
        }
        start.countDown();
      }

      for (int i = 0; i < results.size(); i++) {
        Future<List<RecordedEvent>> result = results.get(i);
        if (i == 3) {
          assertThatThrownBy(result::get).cause().isInstanceOf(ConflictException.class).hasMessageContaining("'taken' already exists");
        } else {
          assertThat(result.get()).hasSize(1);
        }
      }
      assertThat(runs.list(RunQuery.RECENT)).extracting(Run::id).containsExactlyInAnyOrder("r1", "r2", "r3", "r4", "r5", "r6");
    }
  }

  @Test
  void refuses_a_run_id_longer_than_its_column() {
    try (var stores = JdbcStores.openH2(dataDir)) {
      assertThatThrownBy(() -> stores.runs("default").append("x".repeat(129), 0, Instant.EPOCH, List.of(Fixtures.created())))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("use 1 to 128 characters");
    }
  }

  @Test
  void refuses_a_workspace_id_that_is_not_an_identifier() {
    try (var stores = JdbcStores.openH2(dataDir)) {
      assertThatThrownBy(() -> stores.runs("no spaces please"))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("workspace id 'no spaces please' is not valid");
    }
  }

  @Test
  void refuses_appends_once_closed() {
    var stores = JdbcStores.openH2(dataDir);
    var runs = stores.runs("default");
    stores.close();

    assertThatThrownBy(() -> runs.append("run-1", 0, Instant.EPOCH, List.of(Fixtures.created())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void describes_a_postgres_store_without_its_password() {
    String url = System.getenv(PostgresSchema.URL_VARIABLE);
    assumeTrue(url != null && !url.isBlank(), PostgresSchema.URL_VARIABLE + " not set: PostgreSQL tests skipped");
    try (var schema = PostgresSchema.create();
        var stores = JdbcStores.open(schema.url() + "&password=not-needed", null, null)) {
      assertThat(stores.describe())
          .startsWith("PostgreSQL jdbc:postgresql://")
          .endsWith("password=***")
          .doesNotContain("not-needed");
    }
  }
}
