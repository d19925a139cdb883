package dev.maestro.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maestro.engine.knowledge.KnowledgeQuery;
import dev.maestro.engine.knowledge.SearchMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default embedding model, BGE small en v1.5 run in process from its Maven artifact: vector
 * search finds a passage by meaning when it shares no word with the query, which BM25 cannot.
 */
class BgeSemanticSearchTest {
  @TempDir static Path data;
  @TempDir static Path docs;
  static LuceneKnowledgeBase kb;
  static final LangChain4jEmbedder BGE = LangChain4jEmbedder.bge();

  @BeforeAll
  static void ingest() throws Exception {
    kb = new LuceneKnowledgeBase(data, BGE);
    kb.create("help", null);
    Fixtures.write(docs, "car.txt", "My automobile would not start on a freezing morning; the battery was flat.");
    Fixtures.write(docs, "revenue.txt", "Quarterly revenue grew by ten percent thanks to new customers in Europe.");
    Fixtures.write(docs, "lunch.txt", "The cafeteria serves breakfast until ten and lunch from noon.");
    Fixtures.write(docs, "printer.txt", "The office printer on the second floor jams when the tray is overfilled.");
    assertThat(kb.ingest("help", List.of(docs.toString()), null).skipped()).isEmpty();
  }

  @AfterAll
  static void close() {
    kb.close();
  }

  private List<String> documents(String query, SearchMode mode) {
    return kb.search(new KnowledgeQuery("help", query, 2, Map.of(), mode)).stream().map(p -> p.citation().document())
        .map(d -> d.substring(d.lastIndexOf('/') + 1)).toList();
  }

  @Test
  void the_bundled_model_embeds_in_process_into_384_unit_length_dimensions() {
    float[] v = BGE.embed("hello");
    assertThat(BGE.id()).isEqualTo("bge-small-en-v1.5-q");
    assertThat(v).hasSize(384);
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
  }

  @Test
  void vector_search_finds_a_passage_by_meaning_that_shares_no_word_with_the_query() {
    String query = "vehicle engine trouble in cold weather";

    assertThat(documents(query, SearchMode.VECTOR)).first().isEqualTo("car.txt");
    assertThat(documents(query, SearchMode.KEYWORD)).doesNotContain("car.txt");
    assertThat(documents(query, SearchMode.HYBRID)).contains("car.txt");
  }
}
