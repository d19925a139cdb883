package dev.maestro.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maestro.knowledge.HashingEmbedder;
import dev.maestro.knowledge.LuceneKnowledgeBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestionsTest {
  @TempDir Path dir;

  @Test
  void keeps_the_newest_ingestions_and_says_why_one_failed() throws Exception {
    Files.writeString(dir.resolve("a.md"), "# A\n\nAlpha.");
    try (var knowledge = new LuceneKnowledgeBase(dir.resolve("index"), new HashingEmbedder())) {
      knowledge.create("docs", null);
      var ingestions = new Ingestions(Clock.systemUTC());
      Ingestions.Ingestion first = ingestions.start("w", knowledge, "docs", List.of(dir.resolve("a.md").toString()));
      assertThat(first.await(Duration.ofSeconds(10))).isTrue();
      assertThat(first.view().report().added()).isEqualTo(1);

      for (int i = 0; i < Ingestions.KEPT + 5; i++) {
        assertThat(ingestions.start("w", knowledge, "nope", List.of("x")).await(Duration.ofSeconds(10))).isTrue();
      }
      List<Ingestions.Ingestion> kept = ingestions.list("w");
      assertThat(kept).hasSize(Ingestions.KEPT);
      assertThat(ingestions.find("w", first.id)).isEmpty(); // the oldest went first
      assertThat(kept.getFirst().view().status()).isEqualTo("failed");
      assertThat(kept.getFirst().view().error()).isEqualTo(new Ingestions.Problem(404, "Not Found",
          "no knowledge collection 'nope'; create it with 'maestro knowledge create nope' (or POST /api/apa/knowledge/collections)"));
      assertThat(ingestions.list("other")).isEmpty();
      assertThat(ingestions.find("other", kept.getFirst().id)).isEmpty();
    }
  }
}
