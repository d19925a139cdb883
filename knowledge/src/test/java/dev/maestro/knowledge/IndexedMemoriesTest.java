package dev.maestro.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.memory.InMemoryMemoryStore;
import dev.maestro.engine.memory.Memory;
import dev.maestro.engine.memory.MemoryType;
import dev.maestro.engine.memory.MemoryVector;
import dev.maestro.engine.memory.NewMemory;
import dev.maestro.engine.memory.RankingWeights;
import dev.maestro.engine.memory.Recall;
import dev.maestro.engine.memory.Recalled;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexedMemoriesTest {
  @TempDir Path data;
  final InMemoryMemoryStore store = new InMemoryMemoryStore();
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T09:00:00Z"));
  final AtomicInteger n = new AtomicInteger();

  IndexedMemories memories(Path dir) {
    return new IndexedMemories(store, new HashingEmbedder(), RankingWeights.DEFAULT, clock, dir, () -> "mem_" + n.incrementAndGet());
  }

  static List<String> contents(List<Recalled> recalled) {
    return recalled.stream().map(r -> r.memory().content()).toList();
  }

  @Test
  void ranking_honours_recency_between_equally_relevant_memories() {
    try (var m = memories(null)) {
      m.remember(new NewMemory("ops", MemoryType.SEMANTIC, "The staging database is called db-stage-1.", 0.5, null, null));
      clock.advance(Duration.ofDays(10));
      m.remember(new NewMemory("ops", MemoryType.SEMANTIC, "The staging database is called db-stage-2.", 0.5, null, null));
      clock.advance(Duration.ofMinutes(1));

      assertThat(contents(m.recall(new Recall("ops", "staging database name", Set.of(), 2))))
          .containsExactly("The staging database is called db-stage-2.", "The staging database is called db-stage-1.");
    }
  }

  @Test
  void ranking_honours_importance_and_recall_refreshes_recency() {
    try (var m = memories(null)) {
      Memory trivial = m.remember(new NewMemory("ops", MemoryType.PROCEDURAL, "Deploy on Tuesdays after the stand-up.", 0.1, null, null));
      m.remember(new NewMemory("ops", MemoryType.PROCEDURAL, "Deploy only after the database backup finished.", 0.9, null, null));
      clock.advance(Duration.ofHours(1));

      List<Recalled> first = m.recall(new Recall("ops", "when to deploy", Set.of(), 1));
      assertThat(contents(first)).containsExactly("Deploy only after the database backup finished.");
      assertThat(store.find(first.getFirst().memory().id()).orElseThrow().lastAccessed()).isEqualTo(clock.instant());
      assertThat(store.find(trivial.id()).orElseThrow().accessCount()).isZero();
    }
  }

  @Test
  void relevance_comes_first_and_types_and_agents_filter() {
    try (var m = memories(null)) {
      m.remember(new NewMemory("ops", MemoryType.SEMANTIC, "The VPN gateway is vpn.example.com.", 0.2, null, null));
      m.remember(new NewMemory("ops", MemoryType.EPISODIC, "Run on \"fix the invoice export\" completed: fixed the CSV encoding.", 0.9, null, null));
      m.remember(new NewMemory("finance", MemoryType.SEMANTIC, "The VPN for finance is vpn-fin.example.com.", 0.9, null, null));

      assertThat(contents(m.recall(new Recall("ops", "vpn gateway address", Set.of(), 1)))).containsExactly("The VPN gateway is vpn.example.com.");
      assertThat(contents(m.recall(new Recall("ops", "vpn gateway address", Set.of(MemoryType.EPISODIC), 5))))
          .containsExactly("Run on \"fix the invoice export\" completed: fixed the CSV encoding.");
      assertThat(m.recall(new Recall("nobody", "vpn", Set.of(), 5))).isEmpty();
    }
  }

  @Test
  void the_index_is_rebuilt_from_the_store_and_follows_rows_written_elsewhere() throws InterruptedException {
    Path dir = data.resolve("index/default/memory");
    try (var m = memories(dir)) {
      m.remember(NewMemory.of("ops", MemoryType.SEMANTIC, "Backups run at 02:00 UTC."));
    }
    // Another process adds a row with a vector of another model, and deletes nothing.
    var other = new Memory("mem_other", "ops", MemoryType.SEMANTIC, "Restores are tested every Friday.", 0.5, null, Map.of(), clock.instant(), null, 0, null);
    store.add(other, new MemoryVector("some-old-model", new float[] {1f, 0f}));

    LuceneKnowledgeBase.deleteTree(dir); // the index is lost: the rows are the truth
    try (var m = memories(dir)) {
      m.recall(new Recall("ops", "anything", Set.of(), 1)); // rebuilds the index; the other model's row is embedded again meanwhile
      for (int i = 0; i < 500 && !store.vectors(List.of("mem_other")).get("mem_other").model().equals(HashingEmbedder.ID); i++) {
        Thread.sleep(10);
      }
      assertThat(store.vectors(List.of("mem_other")).get("mem_other").model()).isEqualTo(HashingEmbedder.ID);
      assertThat(contents(m.recall(new Recall("ops", "when are restores tested", Set.of(), 1)))).containsExactly("Restores are tested every Friday.");
      assertThat(contents(m.recall(new Recall("ops", "backup time", Set.of(), 1)))).containsExactly("Backups run at 02:00 UTC.");

      store.delete("mem_other"); // deleted by another process
      assertThat(contents(m.recall(new Recall("ops", "when are restores tested", Set.of(), 5)))).doesNotContain("Restores are tested every Friday.");
    }
  }

  /** A memory of agent ops as another Maestro process with the same embedding model writes it. */
  void addElsewhere(String id, String content, Instant createdAt) {
    store.add(new Memory(id, "ops", MemoryType.SEMANTIC, content, 0.5, null, Map.of(), createdAt, null, 0, null),
        new MemoryVector(HashingEmbedder.ID, new HashingEmbedder().embed(content)));
  }

  @Test
  void rows_added_elsewhere_are_taken_in_by_time_and_the_periodic_comparison_catches_late_ones() {
    try (var m = memories(null)) {
      m.remember(NewMemory.of("ops", MemoryType.SEMANTIC, "Backups run at 02:00 UTC."));
      assertThat(m.recall(new Recall("ops", "backup time", Set.of(), 5))).hasSize(1); // the first recall compares every id

      // Another process (same model) adds a row now, and one whose clock is 5 minutes behind (beyond the sync margin of 1 minute).
      addElsewhere("mem_now", "Restores are tested every Friday.", clock.instant());
      addElsewhere("mem_late", "Restores take about forty minutes.", clock.instant().minus(Duration.ofMinutes(5)));
      clock.advance(Duration.ofSeconds(30));

      assertThat(contents(m.recall(new Recall("ops", "restores", Set.of(), 5))))
          .contains("Restores are tested every Friday.").doesNotContain("Restores take about forty minutes.");
      clock.advance(IndexedMemories.RECONCILE_EVERY);
      assertThat(contents(m.recall(new Recall("ops", "restores", Set.of(), 5))))
          .contains("Restores are tested every Friday.", "Restores take about forty minutes.");
    }
  }

  @Test
  void rows_of_another_model_are_embedded_again_in_the_background_while_recall_goes_on() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      store.add(new Memory("old_" + i, "ops", MemoryType.SEMANTIC, "The restore drill number " + i + " runs on Fridays.", 0.5, null, Map.of(),
          clock.instant(), null, 0, null), new MemoryVector("some-old-model", new float[] {1f, 0f}));
    }
    addElsewhere("new_0", "The restore drill checklist is in the wiki.", clock.instant());
    var gate = new java.util.concurrent.CountDownLatch(1);
    var hashing = new HashingEmbedder();
    Embedder gated = new Embedder() { // the hashing model, whose batches wait for the gate
      @Override
      public String id() {
        return hashing.id();
      }

      @Override
      public int dimensions() {
        return hashing.dimensions();
      }

      @Override
      public float[] embed(String text) {
        return hashing.embed(text);
      }

      @Override
      public List<float[]> embedAll(List<String> texts) {
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return hashing.embedAll(texts);
      }
    };
    try (var m = new IndexedMemories(store, gated, RankingWeights.DEFAULT, clock, null, () -> "mem_" + n.incrementAndGet())) {
      // The first recall does not wait for the other model's rows: it answers from those already right.
      assertThat(contents(m.recall(new Recall("ops", "restore drill", Set.of(), 5)))).containsExactly("The restore drill checklist is in the wiki.");
      gate.countDown();
      List<Recalled> all = List.of();
      for (int i = 0; i < 500 && all.size() < 4; i++) {
        Thread.sleep(10);
        all = m.recall(new Recall("ops", "restore drill", Set.of(), 5));
      }
      assertThat(all).hasSize(4);
      assertThat(store.vectors(List.of("old_0", "old_1", "old_2")).values()).extracting(MemoryVector::model).containsOnly(HashingEmbedder.ID);
    }
  }

  @Test
  void deletes_and_reports_unknown_ids() {
    try (var m = memories(null)) {
      Memory x = m.remember(NewMemory.of("ops", MemoryType.SEMANTIC, "Temporary note."));
      m.delete(x.id());
      assertThat(m.recall(new Recall("ops", "temporary note", Set.of(), 5))).isEmpty();
      assertThatThrownBy(() -> m.delete(x.id())).isInstanceOf(NotFoundException.class).hasMessageContaining(x.id());
      assertThatThrownBy(() -> m.get("nope")).isInstanceOf(NotFoundException.class);
    }
  }
}
