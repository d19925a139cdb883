package dev.maestro.engine.learning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link FeedbackStore} does; extended by each implementation's test. */
public abstract class FeedbackStoreContract {
  protected FeedbackStore store;

  protected abstract FeedbackStore newStore();

  protected abstract FeedbackStore newStoreInOtherWorkspace();

  @BeforeEach
  void open() {
    store = newStore();
  }

  static Feedback feedback(String id, String agent, int minute) {
    return new Feedback(id, agent, "run_" + id, minute % 2 == 0 ? FeedbackOutcome.SUCCESS : FeedbackOutcome.CORRECTION, minute % 3 == 0 ? null : 0.75,
        "expected ✓", minute % 2 == 0 ? null : "wrong units", List.of("Check units first.", "Say which file."),
        Instant.parse("2026-11-01T10:00:00Z").plusSeconds(60L * minute));
  }

  @Test
  void keeps_feedback_exactly_newest_first_per_agent() {
    store.add(feedback("f1", "agent-a", 1));
    store.add(feedback("f2", "agent-a", 2));
    store.add(feedback("f3", "agent-b", 3));

    assertThat(store.list("agent-a", 10)).containsExactly(feedback("f2", "agent-a", 2), feedback("f1", "agent-a", 1));
    assertThat(store.list("agent-a", 1)).extracting(Feedback::id).containsExactly("f2");
    assertThat(store.list("agent-b", 10)).singleElement().satisfies(f -> {
      assertThat(f.score()).isNull();
      assertThat(f.lessons()).containsExactly("Check units first.", "Say which file.");
    });
  }

  @Test
  void keeps_workspaces_apart() {
    store.add(feedback("f1", "agent-a", 1));

    assertThat(newStoreInOtherWorkspace().list("agent-a", 10)).isEmpty();
  }
}
