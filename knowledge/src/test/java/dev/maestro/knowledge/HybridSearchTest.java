package dev.maestro.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maestro.engine.knowledge.KnowledgeQuery;
import dev.maestro.engine.knowledge.Passage;
import dev.maestro.engine.knowledge.SearchMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hybrid search against its two halves on one small corpus: a rare exact term in a long passage
 * (BM25 finds it, the vector of the passage is about everything else), and a misspelled query
 * (no word matches, the subword vectors still do). Hybrid search finds both.
 */
class HybridSearchTest {
  @TempDir static Path data;
  @TempDir static Path docs;
  static LuceneKnowledgeBase kb;

  static final String LONG_RUNBOOK = """
      Deployment runbook

      Deployments go out every weekday morning after the change advisory board has approved the release. The release manager
      checks the dashboards of the previous day, confirms that no incident is open, and announces the window in the operations
      channel. Each service is rolled out region by region, starting with the smallest region, and the canary instances receive
      five percent of the traffic for thirty minutes before the rollout continues. When the canary shows a higher latency or
      more failed requests than the baseline, the rollout is stopped and the previous version is restored. A rollout that stops
      with ERR-4471 has lost its lease on the deployment lock; wait for the other rollout to finish before starting again. After
      the last region, the release manager closes the window, writes the release notes and thanks the people who helped.
      """;

  @BeforeAll
  static void ingest() throws Exception {
    kb = new LuceneKnowledgeBase(data, new HashingEmbedder());
    kb.create("ops", null);
    Fixtures.write(docs, "runbook.md", LONG_RUNBOOK);
    Fixtures.write(docs, "autoscaling.md", "# Autoscaling\n\nKubernetes autoscaling adds pods when CPU usage is high.");
    // Codes written without the dash: one word to BM25 ("err1001"), but sharing "err" with the query for the subword vectors.
    var errors = List.of("ERR1001 means the disk is full.", "ERR2002 means the certificate expired.", "ERR3003 means the token is invalid.",
        "ERR5005 means the quota is used up.", "ERR6006 means the queue is full.", "ERR7007 means the region is down.");
    for (int i = 0; i < errors.size(); i++) {
      Fixtures.write(docs, "errors/err" + i + ".txt", errors.get(i));
    }
    var other = List.of("The cafeteria opens at eight and serves breakfast until ten.", "Holidays are requested in the HR portal.",
        "Laptops are replaced every three years.", "The office printer on floor two jams often.",
        "Parking permits are renewed in January.", "Expense reports are due at the end of the month.");
    for (int i = 0; i < other.size(); i++) {
      Fixtures.write(docs, "office/o" + i + ".txt", other.get(i));
    }
    assertThat(kb.ingest("ops", List.of(docs.toString()), null).skipped()).isEmpty();
  }

  @AfterAll
  static void close() {
    kb.close();
  }

  private List<String> documents(String query, SearchMode mode, int limit) {
    var found = new ArrayList<String>();
    for (Passage p : kb.search(new KnowledgeQuery("ops", query, limit, Map.of(), mode))) {
      found.add(Path.of(p.citation().document()).getFileName().toString());
    }
    return found;
  }

  @Test
  void an_exact_rare_term_is_found_by_keyword_and_hybrid_search_but_missed_by_vector_search() {
    assertThat(documents("ERR-4471", SearchMode.KEYWORD, 3)).first().isEqualTo("runbook.md");
    assertThat(documents("ERR-4471", SearchMode.VECTOR, 3)).doesNotContain("runbook.md");
    assertThat(documents("ERR-4471", SearchMode.HYBRID, 3)).contains("runbook.md");
  }

  @Test
  void a_misspelled_query_is_found_by_vector_and_hybrid_search_but_missed_by_keyword_search() {
    assertThat(documents("kubrenetes autoscalng", SearchMode.KEYWORD, 3)).doesNotContain("autoscaling.md");
    assertThat(documents("kubrenetes autoscalng", SearchMode.VECTOR, 3)).first().isEqualTo("autoscaling.md");
    assertThat(documents("kubrenetes autoscalng", SearchMode.HYBRID, 3)).first().isEqualTo("autoscaling.md");
  }

  @Test
  void approximate_vector_search_agrees_with_exact_search_on_a_small_collection() {
    for (String q : List.of("disk full", "certificate expired", "breakfast", "deployment lock lease")) {
      assertThat(documents(q, SearchMode.VECTOR, 5)).as(q).isEqualTo(documents(q, SearchMode.EXACT, 5));
    }
  }
}
