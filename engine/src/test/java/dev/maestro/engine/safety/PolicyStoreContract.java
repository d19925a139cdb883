package dev.maestro.engine.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.TestClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link PolicyStore} does; extended by each implementation's test. */
public abstract class PolicyStoreContract {
  protected static final Instant T0 = Instant.parse("2026-03-01T09:00:00.000001Z");

  protected TestClock clock;
  protected PolicyStore store;

  /** A store of one workspace over empty storage, reading time from the clock. */
  protected abstract PolicyStore newStore(Clock clock);

  /** Another workspace's store over the same storage. */
  protected abstract PolicyStore newStoreInOtherWorkspace();

  @BeforeEach
  void open() {
    clock = new TestClock(T0);
    store = newStore(clock);
  }

  /** A policy using every field: agents, tool patterns, each kind of argument predicate, each effect. */
  static Policy full(String id) {
    return Policies.parse("""
        id: %s
        description: Writes to the production warehouse — ünïcode
        match:
          agents: [analyst, "team-*"]
          tools: [run_sql, "sql_?"]
          arguments:
            - {path: /datasource, equals: prod}
            - {path: /query, contains: DELETE}
            - {path: /query, matches: "(?is).*where.*"}
            - {path: /dry_run, exists: false}
        set: {risk: critical, action: require_approval, approvers: 2, approval_window: 30m}
        """.formatted(id), "test").getFirst();
  }

  static Policy blocking(String id) {
    return Policies.parse("{id: " + id + ", match: {tools: [send_email]}, set: {action: block}}", "test").getFirst();
  }

  @Test
  void stores_a_policy_exactly_as_version_1() {
    StoredPolicy created = store.create(full("prod-writes"), "token:tok_ab12cd34ef56 (alice)");

    assertThat(created).isEqualTo(new StoredPolicy(full("prod-writes"), 1, false, T0, "token:tok_ab12cd34ef56 (alice)"));
    assertThat(store.find("prod-writes")).contains(created);
    assertThat(store.list()).containsExactly(created);
    assertThat(store.history("prod-writes")).containsExactly(created);
  }

  @Test
  void lists_the_policies_in_force_by_id() {
    store.create(blocking("zeta"), "alice");
    store.create(full("alpha"), "alice");
    store.create(blocking("mid"), "alice");
    store.delete("mid", 1, "bob");

    assertThat(store.list()).extracting(StoredPolicy::id).containsExactly("alpha", "zeta");
    assertThat(store.find("mid")).isEmpty();
    assertThat(store.find("never")).isEmpty();
  }

  @Test
  void keeps_every_version_and_returns_history_newest_first() {
    store.create(blocking("mail"), "alice");
    clock.advance(Duration.ofMinutes(1));
    Policy logOnly = Policies.parse("{id: mail, match: {tools: [send_email]}, set: {action: log}}", "test").getFirst();
    StoredPolicy v2 = store.update(logOnly, 1, "bob");

    assertThat(v2).isEqualTo(new StoredPolicy(logOnly, 2, false, T0.plus(Duration.ofMinutes(1)), "bob"));
    assertThat(store.find("mail")).contains(v2);
    assertThat(store.history("mail")).extracting(StoredPolicy::version).containsExactly(2, 1);
    assertThat(store.history("mail").get(1)).isEqualTo(new StoredPolicy(blocking("mail"), 1, false, T0, "alice"));
  }

  @Test
  void refuses_a_write_based_on_a_stale_version_and_names_the_current_one() {
    store.create(blocking("mail"), "alice");
    store.update(full("mail"), 1, "bob");

    assertThatThrownBy(() -> store.update(blocking("mail"), 1, "carol"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("'mail' is at version 2, not 1");
    assertThatThrownBy(() -> store.delete("mail", 3, "carol"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("'mail' is at version 2, not 3");
    assertThat(store.find("mail")).map(StoredPolicy::version).contains(2);
    assertThat(store.history("mail")).hasSize(2);
  }

  @Test
  void refuses_to_create_a_policy_that_is_in_force() {
    store.create(blocking("mail"), "alice");

    assertThatThrownBy(() -> store.create(full("mail"), "bob"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("'mail' already exists (version 1)");
    assertThat(store.find("mail")).map(StoredPolicy::policy).contains(blocking("mail"));
  }

  @Test
  void deletes_by_adding_a_version_and_recreating_continues_the_numbers() {
    store.create(blocking("mail"), "alice");
    clock.advance(Duration.ofSeconds(1));
    StoredPolicy deleted = store.delete("mail", 1, "bob");

    assertThat(deleted).isEqualTo(new StoredPolicy(blocking("mail"), 2, true, T0.plusSeconds(1), "bob"));
    assertThat(store.find("mail")).isEmpty();
    assertThatThrownBy(() -> store.update(full("mail"), 2, "carol"))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("'mail' was deleted (version 2)");
    assertThatThrownBy(() -> store.delete("mail", 2, "carol"))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("'mail' was deleted");

    StoredPolicy again = store.create(full("mail"), "carol");
    assertThat(again.version()).isEqualTo(3);
    assertThat(again.deleted()).isFalse();
    assertThat(store.list()).containsExactly(again);
    assertThat(store.history("mail")).extracting(StoredPolicy::version, StoredPolicy::deleted)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(3, false), org.assertj.core.groups.Tuple.tuple(2, true),
            org.assertj.core.groups.Tuple.tuple(1, false));
  }

  @Test
  void says_which_policy_does_not_exist() {
    assertThatThrownBy(() -> store.update(blocking("ghost"), 1, "alice"))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("no policy 'ghost'");
    assertThatThrownBy(() -> store.delete("ghost", 1, "alice"))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("no policy 'ghost'");
    assertThat(store.history("ghost")).isEmpty();
  }

  @Test
  void refuses_a_write_without_an_author() {
    assertThatThrownBy(() -> store.create(blocking("mail"), " "))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("policy author");
    assertThat(store.list()).isEmpty();
  }

  @Test
  void moves_the_revision_on_every_write_and_only_then() {
    long r0 = store.revision();
    store.create(blocking("mail"), "alice");
    long r1 = store.revision();
    store.list();
    store.find("mail");
    store.history("mail");
    assertThat(store.revision()).isEqualTo(r1);
    store.update(full("mail"), 1, "bob");
    long r2 = store.revision();
    store.delete("mail", 2, "bob");
    long r3 = store.revision();
    try {
      store.update(full("mail"), 1, "bob");
    } catch (NotFoundException expected) {
      // a refused write changes nothing
    }

    assertThat(List.of(r0, r1, r2, r3)).doesNotHaveDuplicates();
    assertThat(store.revision()).isEqualTo(r3);
  }

  @Test
  void keeps_workspaces_apart() {
    store.create(blocking("mail"), "alice");
    PolicyStore other = newStoreInOtherWorkspace();

    assertThat(other.list()).isEmpty();
    assertThat(other.find("mail")).isEmpty();
    assertThat(other.history("mail")).isEmpty();
    assertThatThrownBy(() -> other.update(full("mail"), 1, "mallory")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> other.delete("mail", 1, "mallory")).isInstanceOf(NotFoundException.class);
    assertThat(other.create(full("mail"), "bob").version()).isEqualTo(1);
    assertThat(store.find("mail")).map(StoredPolicy::policy).contains(blocking("mail"));
  }

  @Test
  void lets_exactly_one_of_several_concurrent_updates_of_one_version_win() throws Exception {
    store.create(blocking("mail"), "alice");
    var start = new CountDownLatch(1);
    var results = new ArrayList<Future<StoredPolicy>>();
    try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
      for (int i = 0; i < 8; i++) {
        String author = "writer-" + i;
        results.add(threads.submit(() -> {
          start.await();
          return store.update(full("mail"), 1, author);
        }));
      }
      start.countDown();
    }

    int won = 0;
    for (Future<StoredPolicy> r : results) {
      try {
        assertThat(r.get().version()).isEqualTo(2);
        won++;
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(ConflictException.class).hasMessageContaining("is at version 2, not 1");
      }
    }
    assertThat(won).isEqualTo(1);
    assertThat(store.history("mail")).hasSize(2);
  }
}
