package dev.maestro.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maestro.engine.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class MemoryRankingTest {
  static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

  static Memory memory(String id, double importance, Duration age) {
    Instant t = NOW.minus(age);
    return new Memory(id, "a", MemoryType.SEMANTIC, id, importance, null, null, t, t, 0, null);
  }

  @Test
  void equally_relevant_memories_rank_by_importance_then_recency() {
    var old = new MemoryRanking.Candidate(memory("old-important", 0.9, Duration.ofDays(2)), 1.0);
    var recent = new MemoryRanking.Candidate(memory("recent-trivial", 0.1, Duration.ofMinutes(5)), 1.0);
    var recentImportant = new MemoryRanking.Candidate(memory("recent-important", 0.9, Duration.ofMinutes(5)), 1.0);

    List<Recalled> ranked = MemoryRanking.rank(List.of(old, recent, recentImportant), NOW, RankingWeights.DEFAULT, 3);

    assertThat(ranked).extracting(r -> r.memory().id()).containsExactly("recent-important", "old-important", "recent-trivial");
    assertThat(ranked.get(1).recency()).isCloseTo(Math.pow(0.995, 48), Assertions.offset(1e-9));
  }

  @Test
  void weights_decide_between_signals() {
    var relevantOld = new MemoryRanking.Candidate(memory("relevant-old", 0.5, Duration.ofDays(30)), 0.9);
    var irrelevantNew = new MemoryRanking.Candidate(memory("irrelevant-new", 0.5, Duration.ZERO), 0.1);

    assertThat(MemoryRanking.rank(List.of(relevantOld, irrelevantNew), NOW, new RankingWeights(1, 0, 0, 0.995), 1))
        .extracting(r -> r.memory().id()).containsExactly("relevant-old");
    assertThat(MemoryRanking.rank(List.of(relevantOld, irrelevantNew), NOW, new RankingWeights(0, 0, 1, 0.995), 1))
        .extracting(r -> r.memory().id()).containsExactly("irrelevant-new");
  }

  @Test
  void refuses_meaningless_weights() {
    Assertions.assertThatThrownBy(() -> new RankingWeights(0, 0, 0, 0.9)).isInstanceOf(InvalidInputException.class);
    Assertions.assertThatThrownBy(() -> new RankingWeights(1, 1, 1, 1.5)).isInstanceOf(InvalidInputException.class).hasMessageContaining("1.5");
  }

  @Test
  void the_prompt_keeps_the_best_memories_within_the_token_budget() {
    var r1 = new Recalled(memory("first memory, the most relevant one", 0.5, Duration.ZERO), 3, 1, 1);
    var r2 = new Recalled(memory("second memory, a long one that will not fit into the budget at all", 0.5, Duration.ZERO), 2, 1, 1);

    List<Recalled> fitting = MemoryPrompt.fitting(List.of(r1, r2), 30);

    assertThat(fitting).containsExactly(r1);
    assertThat(MemoryPrompt.render(fitting)).isEqualTo(MemoryPrompt.HEADER + "\n- [semantic] first memory, the most relevant one");
    assertThat(MemoryPrompt.fitting(List.of(r1), 5)).isEmpty();
  }
}
