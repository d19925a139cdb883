package dev.maestro.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunEvent.Thought;
import dev.maestro.engine.run.RunStore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two {@link JdbcStores} over one database, as two Maestro processes sharing it would be: each has
 * its own committer, and what one committer remembers of a run goes stale when the other appends.
 */
abstract class SharedDatabaseContract {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private JdbcStores first;
  private JdbcStores second;
  private RunStore a;
  private RunStore b;

  /** Opens a store over the database of this test; called twice. */
  abstract JdbcStores open();

  /** Called once both stores are closed. */
  void dropDatabase() {}

  @BeforeEach
  void openBoth() {
    first = open();
    second = open();
    a = first.runs("default");
    b = second.runs("default");
  }

  @AfterEach
  void closeBoth() {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
    dropDatabase();
  }

  @Test
  void continues_a_log_that_another_store_appended_to() {
    a.append("run-1", 0, T0, List.of(Fixtures.created()));
    a.append("run-1", 1, T0, List.of(thought("a1")));
    b.append("run-1", 2, T0, List.of(thought("b1"), thought("b2")));
    a.append("run-1", 4, T0, List.of(thought("a2")));

    List<RecordedEvent> events = b.events("run-1", 0);
    assertThat(events).extracting(RecordedEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(events.subList(1, 5)).extracting(e -> ((Thought) e.event()).text()).containsExactly("a1", "b1", "b2", "a2");
    assertThat(a.find("run-1")).contains(Run.fold(events));
  }

  @Test
  void refuses_an_append_based_on_what_another_store_has_replaced() {
    a.append("run-1", 0, T0, List.of(Fixtures.created()));
    a.append("run-1", 1, T0, List.of(thought("a1")));
    b.append("run-1", 2, T0, List.of(thought("b1")));

    assertThatThrownBy(() -> a.append("run-1", 2, T0, List.of(thought("stale"))))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("seq 3, not 2");
    assertThat(a.events("run-1", 0)).hasSize(3);
  }

  @Test
  void lets_only_one_store_create_a_run() {
    a.append("run-1", 0, T0, List.of(Fixtures.created()));

    assertThatThrownBy(() -> b.append("run-1", 0, T0, List.of(Fixtures.created())))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("already exists");
    assertThat(b.events("run-1", 0)).hasSize(1);
  }

  @Test
  void leaves_no_gaps_when_both_stores_append_to_one_run_at_once() throws Exception {
    a.append("run-1", 0, T0, List.of(Fixtures.created()));
    int appendsEach = 25;
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (RunStore store : List.of(a, b, a, b)) {
        threads.submit(() -> {
          for (int i = 0; i < appendsEach; ) {
            long last = store.find("run-1").orElseThrow().lastSeq();
            try {
              store.append("run-1", last, T0, List.of(thought("#" + i)));
              i++;
            } catch (ConflictException retry) {
              // the other writer got there first; read and try again
            }
          }
          return null;
        });
      }
    }
    List<RecordedEvent> events = a.events("run-1", 0);
    assertThat(events).extracting(RecordedEvent::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 1 + 4L * appendsEach).boxed().toList());
    assertThat(b.find("run-1")).contains(Run.fold(events));
  }

  private static RunEvent thought(String text) {
    return new Thought(1, text);
  }
}
