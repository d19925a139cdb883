package dev.maestro.engine.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.internal.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link HttpToolStore} does; extended by each implementation's test. */
public abstract class HttpToolStoreContract {
  protected HttpToolStore store;

  protected abstract HttpToolStore newStore();

  /** Another workspace's store over the same storage. */
  protected abstract HttpToolStore newStoreInOtherWorkspace();

  @BeforeEach
  void open() {
    store = newStore();
  }

  static HttpToolDefinition tool(String name) {
    return new HttpToolDefinition(name, "Finds the owner of a service — ünïcode.",
        Json.tree("{\"type\":\"object\",\"properties\":{\"service\":{\"type\":\"string\"}},\"required\":[\"service\"]}"),
        "https://tools.example.com/" + name, RiskLevel.MEDIUM, true, 20);
  }

  @Test
  void keeps_definitions_exactly_in_name_order() {
    store.add(tool("zeta"));
    store.add(new HttpToolDefinition("alpha", "Plain.", Json.tree("{\"type\":\"object\"}"), "http://x.example/a", RiskLevel.HIGH, false, null));

    assertThat(store.list()).extracting(HttpToolDefinition::name).containsExactly("alpha", "zeta");
    assertThat(store.list().get(1)).isEqualTo(tool("zeta"));
    assertThat(store.list().get(0).timeoutSeconds()).isNull();
  }

  @Test
  void refuses_a_second_tool_of_the_same_name() {
    store.add(tool("owner"));

    assertThatThrownBy(() -> store.add(tool("owner"))).isInstanceOf(ConflictException.class).hasMessageContaining("'owner'");
    assertThat(store.list()).hasSize(1);
  }

  @Test
  void keeps_workspaces_apart() {
    store.add(tool("owner"));
    HttpToolStore other = newStoreInOtherWorkspace();

    assertThat(other.list()).isEmpty();
    other.add(tool("owner"));
    assertThat(store.list()).hasSize(1);
  }
}
