package dev.maestro.engine.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.TestClock;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link WorkspaceStore} does; extended by each implementation's test. */
public abstract class WorkspaceStoreContract {
  protected static final Instant T0 = Instant.parse("2026-03-01T09:00:00.654321Z");

  protected WorkspaceStore store;

  /** A store over empty storage reading time from the clock. */
  protected abstract WorkspaceStore newStore(Clock clock);

  @BeforeEach
  void open() {
    store = newStore(new TestClock(T0));
  }

  @Test
  void creates_finds_and_lists_workspaces_by_id() {
    Workspace beta = store.create("beta", "Team Beta — ünïcode");
    store.create("alpha", "Team Alpha");

    assertThat(beta).isEqualTo(new Workspace("beta", "Team Beta — ünïcode", T0));
    assertThat(store.find("beta")).contains(beta);
    assertThat(store.find("gamma")).isEmpty();
    assertThat(store.list()).extracting(Workspace::id).containsExactly("alpha", "beta");
  }

  @Test
  void refuses_a_second_workspace_with_the_same_id() {
    store.create("alpha", "Team Alpha");

    assertThatThrownBy(() -> store.create("alpha", "Another"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("'alpha' already exists");
    assertThat(store.find("alpha")).map(Workspace::name).contains("Team Alpha");
  }

  @Test
  void refuses_ids_and_names_it_cannot_keep() {
    assertThatThrownBy(() -> store.create("no spaces", "x"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("workspace id 'no spaces' is not valid");
    assertThatThrownBy(() -> store.create("a".repeat(65), "x"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("1-64");
    assertThatThrownBy(() -> store.create("alpha", " "))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("workspace name ' ' is not valid");
    assertThat(store.list()).isEmpty();
  }
}
