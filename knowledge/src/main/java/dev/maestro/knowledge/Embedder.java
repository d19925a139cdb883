package dev.maestro.knowledge;

import java.util.List;

/**
 * Turns text into unit-length vectors of one model. Vectors of different models (different ids)
 * live in different spaces and are never compared.
 */
public interface Embedder {

  /** The model's name as recorded next to every vector it made, e.g. {@code hash-ngram-384-v1}. */
  String id();

  int dimensions();

  /** One text's vector, of length {@link #dimensions()} and unit length. */
  float[] embed(String text);

  /** Many texts' vectors, in order; implementations batch where it helps. */
  default List<float[]> embedAll(List<String> texts) {
    return texts.stream().map(this::embed).toList();
  }
}
