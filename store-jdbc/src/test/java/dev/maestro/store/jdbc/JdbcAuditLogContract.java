package dev.maestro.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maestro.engine.audit.AuditEntry;
import dev.maestro.engine.audit.AuditLog;
import dev.maestro.engine.audit.AuditLogContract;
import dev.maestro.engine.audit.AuditQuery;
import dev.maestro.engine.audit.AuditRecord;
import dev.maestro.engine.audit.Verification;
import dev.maestro.engine.internal.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The audit log contract on a database, tampering done with plain SQL, plus what needs a database:
 * the head row, and two stores (as two processes would) appending to one chain.
 */
abstract class JdbcAuditLogContract extends AuditLogContract {
  private final List<JdbcStores> opened = new ArrayList<>();
  private JdbcStores stores;

  /** Opens a store over this test's database, fresh at the first call; later calls open the same database again. */
  abstract JdbcStores openStores();

  /** Called once every store is closed. */
  void dropDatabase() {}

  @Override
  protected AuditLog open(String workspaceId, Clock clock) {
    if (stores == null) {
      stores = openStores();
      opened.add(stores);
    }
    return stores.audit(workspaceId, clock);
  }

  @AfterEach
  void closeStores() {
    opened.reversed().forEach(JdbcStores::close);
    dropDatabase();
  }

  @Override
  protected void change(long seq, String column, String value) {
    if (!List.of("actor", "details", "hash").contains(column)) {
      throw new IllegalArgumentException(column);
    }
    int changed = stores.jdbi().withHandle(h -> h.createUpdate("UPDATE audit_log SET " + column + " = :value WHERE workspace_id = :w AND seq = :seq")
        .bind("value", value).bind("w", WORKSPACE).bind("seq", seq).execute());
    assertThat(changed).isEqualTo(1);
  }

  @Override
  protected void remove(long seq) {
    int removed = stores.jdbi().withHandle(h -> h.createUpdate("DELETE FROM audit_log WHERE workspace_id = :w AND seq = :seq")
        .bind("w", WORKSPACE).bind("seq", seq).execute());
    assertThat(removed).isEqualTo(1);
  }

  @Test
  void finds_newest_entries_deleted_by_sql_from_the_head_row_alone() {
    for (int i = 0; i < 5; i++) {
      log.append(AuditRecord.of("engine", "run.start", "run_" + i, "ok"));
    }
    remove(5);

    assertThat(log.verify()).isEqualTo(new Verification(false, 4, 5L,
        "entry 5 is missing: the chain was recorded reaching seq 5 but now ends at seq 4; the newest entries were deleted"));
  }

  @Test
  void finds_details_edited_into_something_that_is_not_json() {
    log.append(new AuditRecord("engine", "run.start", "run_1", "ok", null, Json.tree("{\"a\":1}")));
    log.append(new AuditRecord("engine", "run.start", "run_2", "ok", null, Json.tree("{\"a\":2}")));
    change(2, "details", "{\"a\":2");

    assertThat(log.list(AuditQuery.first(5)).get(1).details().asText()).isEqualTo("{\"a\":2");
    assertThat(log.verify().firstBadSeq()).isEqualTo(2);
  }

  @Test
  void keeps_one_gapless_chain_when_two_stores_on_one_database_append_at_once() throws Exception {
    log.append(AuditRecord.of("engine", "run.start", "run_0", "ok"));
    JdbcStores second = openStores();
    opened.add(second);
    List<AuditLog> logs = List.of(log, second.audit(WORKSPACE, clock));
    int each = 100;
    var start = new CountDownLatch(1);
    var results = new ArrayList<Future<?>>();
    try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
      for (int t = 0; t < 8; t++) {
        AuditLog target = logs.get(t % 2);
        String actor = "process-" + (t % 2) + "-thread-" + t;
        results.add(threads.submit(() -> {
          start.await();
          for (int i = 0; i < each; i++) {
            target.append(AuditRecord.of(actor, "run.start", "run_" + i, "ok"));
          }
          return null;
        }));
      }
      start.countDown();
    }
    for (Future<?> r : results) {
      r.get();
    }

    long total = 1 + 8L * each;
    List<AuditEntry> all = new ArrayList<>(log.list(AuditQuery.first(1000)));
    assertThat(all).extracting(AuditEntry::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    assertThat(logs.get(1).verify()).isEqualTo(new Verification(true, total, null, null));
    assertThat(logs.get(1).head()).isEqualTo(log.head());
  }
}
