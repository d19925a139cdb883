package dev.maestro.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.Test;

class HashingEmbedderTest {
  private final HashingEmbedder embedder = new HashingEmbedder();

  private double similarity(String a, String b) {
    return VectorUtil.dotProduct(embedder.embed(a), embedder.embed(b));
  }

  @Test
  void vectors_are_unit_length_and_deterministic() {
    float[] v = embedder.embed("Resume a run after a crash");
    assertThat(v).hasSize(384);
    assertThat((double) VectorUtil.dotProduct(v, v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(embedder.embed("Resume a run after a crash")).isEqualTo(v);
    assertThat((double) VectorUtil.dotProduct(embedder.embed(""), embedder.embed(""))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void shared_words_word_forms_and_misspellings_are_closer_than_unrelated_text() {
    String doc = "Kubernetes autoscaling adds pods when CPU usage is high";
    assertThat(similarity("kubernets autoscalling", doc)).isGreaterThan(similarity("kubernets autoscalling", "The invoice is paid by bank transfer"));
    assertThat(similarity("scaling pods", doc)).isGreaterThan(0.2);
    assertThat(similarity("RunEngine resume", "the run engine can resume a run")).isGreaterThan(similarity("RunEngine resume", "pay the invoice"));
  }

  @Test
  void identifiers_are_split_into_words() {
    assertThat(HashingEmbedder.words("RunEngine.resume(runId) HTTPServer max_steps v2"))
        .containsExactly("run", "engine", "resume", "run", "id", "http", "server", "max", "steps", "v", "2");
  }
}
