package dev.maestro.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link MemoryStore} does; extended by each implementation's test. */
public abstract class MemoryStoreContract {
  protected MemoryStore store;
  static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

  protected abstract MemoryStore newStore();

  /** Another workspace's store over the same storage. */
  protected abstract MemoryStore newStoreInOtherWorkspace();

  @BeforeEach
  void open() {
    store = newStore();
  }

  static Memory memory(String id, String agent, MemoryType type, int minute) {
    return new Memory(id, agent, type, "fact " + id + " — ünïcode", 0.25 * (minute % 4), "run_" + id, Map.of("source", "test", "n", id),
        T0.plus(minute, ChronoUnit.MINUTES), null, 0, null);
  }

  @Test
  void keeps_memories_exactly_and_lists_them_newest_first_by_agent_and_type() {
    store.add(memory("m1", "agent-a", MemoryType.SEMANTIC, 1), null);
    store.add(memory("m2", "agent-a", MemoryType.PROCEDURAL, 2), new MemoryVector("model-x", new float[] {0.6f, -0.8f}));
    store.add(memory("m3", "agent-a", MemoryType.SEMANTIC, 3), null);
    store.add(memory("m4", "agent-b", MemoryType.SEMANTIC, 4), null);

    assertThat(store.find("m2")).contains(new Memory("m2", "agent-a", MemoryType.PROCEDURAL, "fact m2 — ünïcode", 0.5, "run_m2",
        Map.of("source", "test", "n", "m2"), T0.plusSeconds(120), T0.plusSeconds(120), 0, "model-x"));
    assertThat(store.list("agent-a", null, 10, 0)).extracting(Memory::id).containsExactly("m3", "m2", "m1");
    assertThat(store.list("agent-a", MemoryType.SEMANTIC, 10, 0)).extracting(Memory::id).containsExactly("m3", "m1");
    assertThat(store.list("agent-a", null, 1, 1)).extracting(Memory::id).containsExactly("m2");
    assertThat(store.get(List.of("m1", "m4", "nope"))).extracting(Memory::id).containsExactlyInAnyOrder("m1", "m4");
    assertThat(store.ids()).containsExactlyInAnyOrder("m1", "m2", "m3", "m4");
    assertThat(store.idsCreatedSince(T0.plus(3, ChronoUnit.MINUTES))).containsExactlyInAnyOrder("m3", "m4");
    assertThat(store.idsCreatedSince(T0.plus(5, ChronoUnit.MINUTES))).isEmpty();
  }

  @Test
  void keeps_vectors_with_their_model_and_replaces_them() {
    store.add(memory("m1", "agent-a", MemoryType.SEMANTIC, 1), new MemoryVector("model-x", new float[] {1f, 0f, 0.5f}));
    store.add(memory("m2", "agent-a", MemoryType.SEMANTIC, 2), null);

    assertThat(store.vectors(List.of("m1", "m2"))).containsOnlyKeys("m1").containsEntry("m1", new MemoryVector("model-x", new float[] {1f, 0f, 0.5f}));
    store.setVector("m2", new MemoryVector("model-y", new float[] {0.25f}));
    assertThat(store.vectors(List.of("m2"))).containsEntry("m2", new MemoryVector("model-y", new float[] {0.25f}));
    assertThat(store.find("m2").orElseThrow().embeddingModel()).isEqualTo("model-y");
  }

  @Test
  void touching_marks_memories_accessed() {
    store.add(memory("m1", "agent-a", MemoryType.EPISODIC, 1), null);
    Instant later = T0.plus(3, ChronoUnit.DAYS);

    store.touch(List.of("m1"), later);
    store.touch(List.of("m1", "gone"), later.plusSeconds(1));

    Memory m = store.find("m1").orElseThrow();
    assertThat(m.lastAccessed()).isEqualTo(later.plusSeconds(1));
    assertThat(m.accessCount()).isEqualTo(2);
    assertThat(m.createdAt()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void deletes_and_keeps_workspaces_apart() {
    store.add(memory("m1", "agent-a", MemoryType.SEMANTIC, 1), new MemoryVector("model-x", new float[] {1f}));
    MemoryStore other = newStoreInOtherWorkspace();

    assertThat(other.find("m1")).isEmpty();
    assertThat(other.ids()).isEmpty();
    assertThat(other.idsCreatedSince(T0)).isEmpty();
    assertThat(other.list("agent-a", null, 10, 0)).isEmpty();
    assertThat(other.delete("m1")).isFalse();
    assertThat(store.delete("m1")).isTrue();
    assertThat(store.delete("m1")).isFalse();
    assertThat(store.find("m1")).isEmpty();
    assertThat(store.vectors(List.of("m1"))).isEmpty();
  }
}
