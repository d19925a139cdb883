package dev.maestro.engine.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AgentStore} must do. Extend it with a factory for a fresh, empty store; the
 * in-memory, H2 and PostgreSQL stores all pass it.
 */
public abstract class AgentStoreContract {
  /** Whole milliseconds, which every store keeps exactly. */
  protected static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  protected AgentStore store;

  /** A fresh store over empty storage. */
  protected abstract AgentStore newStore();

  /**
   * A store for another workspace over the same storage as the last {@link #newStore()} (for a
   * store without workspaces, simply another instance).
   */
  protected abstract AgentStore newStoreInOtherWorkspace();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @Test
  void finds_a_saved_agent_exactly() {
    var agent = new Agent(spec("analyst", "Find the cause of incidents."), AgentStatus.ENABLED, T0, T0.plusSeconds(5));
    store.save(agent);

    assertThat(store.find("analyst")).contains(agent);
  }

  @Test
  void finds_nothing_for_an_unknown_id() {
    assertThat(store.find("nobody")).isEmpty();
  }

  @Test
  void replaces_an_agent_saved_again_with_the_same_id() {
    store.save(new Agent(spec("analyst", "old instructions"), AgentStatus.CREATED, T0, T0));
    var replaced = new Agent(spec("analyst", "new instructions").withModel("anthropic:claude-sonnet-4"), AgentStatus.PAUSED, T0, T0.plusSeconds(60));
    store.save(replaced);

    assertThat(store.find("analyst")).contains(replaced);
    assertThat(store.list()).containsExactly(replaced);
  }

  @Test
  void lists_agents_by_id_leaving_out_deleted_ones() {
    var charlie = new Agent(spec("charlie", "c"), AgentStatus.ENABLED, T0, T0);
    var alpha = new Agent(spec("alpha", "a"), AgentStatus.CREATED, T0, T0);
    var bravo = new Agent(spec("bravo", "b"), AgentStatus.PAUSED, T0, T0);
    var deleted = new Agent(spec("delta", "d"), AgentStatus.DELETED, T0, T0.plusSeconds(1));
    List.of(charlie, alpha, deleted, bravo).forEach(store::save);

    assertThat(store.list()).containsExactly(alpha, bravo, charlie);
    assertThat(store.find("delta")).contains(deleted);
  }

  @Test
  void lists_a_deleted_agent_again_once_it_is_saved_back() {
    store.save(new Agent(spec("analyst", "x"), AgentStatus.DELETED, T0, T0));
    var back = new Agent(spec("analyst", "x"), AgentStatus.CREATED, T0.plusSeconds(9), T0.plusSeconds(9));
    store.save(back);

    assertThat(store.list()).containsExactly(back);
  }

  @Test
  void keeps_workspaces_apart() {
    var mine = new Agent(spec("analyst", "mine"), AgentStatus.ENABLED, T0, T0);
    store.save(mine);
    AgentStore other = newStoreInOtherWorkspace();

    assertThat(other.find("analyst")).isEmpty();
    assertThat(other.list()).isEmpty();

    var theirs = new Agent(spec("analyst", "theirs"), AgentStatus.PAUSED, T0, T0);
    other.save(theirs);
    assertThat(other.find("analyst")).contains(theirs);
    assertThat(store.find("analyst")).contains(mine);
    assertThat(store.list()).containsExactly(mine);
  }

  /** A spec with every field set, so a store that drops one fails the equality checks. */
  protected static AgentSpec spec(String id, String instructions) {
    return new AgentSpec(id, "Agent " + id, "ünïcödé description — 日本語", AgentKind.REACT, "openai:gpt-4o-mini",
        instructions, List.of("search", "run_sql"), new Limits(7, 50_000L, Duration.ofSeconds(90)));
  }
}
