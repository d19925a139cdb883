package dev.maestro.knowledge;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.maestro.engine.MaestroException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Any LangChain4j {@link EmbeddingModel} (an OpenAI-compatible {@code /v1/embeddings} endpoint, an
 * in-process ONNX model such as BGE small, Ollama, ...) as an {@link Embedder}. Vectors are scaled to
 * unit length so that dot product is cosine similarity.
 */
public final class LangChain4jEmbedder implements Embedder {
  /** Requests to remote models carry at most this many texts. */
  static final int BATCH = 64;

  private final String id;
  private final EmbeddingModel model;
  private volatile int dimensions;

  /**
   * @param id the name recorded with every vector, e.g. {@code openai:text-embedding-3-small}
   */
  public LangChain4jEmbedder(String id, EmbeddingModel model) {
    this.id = Objects.requireNonNull(id);
    this.model = Objects.requireNonNull(model);
  }

  @Override
  public String id() {
    return id;
  }

  /** Learnt from the model's first vector (a remote model is not called before it is needed). */
  @Override
  public int dimensions() {
    if (dimensions == 0) {
      dimensions = embed("dimension probe").length;
    }
    return dimensions;
  }

  @Override
  public float[] embed(String text) {
    try {
      return unit(model.embed(text).content().vector());
    } catch (RuntimeException e) {
      throw new MaestroException("embedding model '" + id + "' failed: " + e.getMessage(), e);
    }
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    var out = new ArrayList<float[]>(texts.size());
    for (int i = 0; i < texts.size(); i += BATCH) {
      var segments = texts.subList(i, Math.min(texts.size(), i + BATCH)).stream().map(TextSegment::from).toList();
      try {
        model.embedAll(segments).content().forEach(e -> out.add(unit(e.vector())));
      } catch (RuntimeException e) {
        throw new MaestroException("embedding model '" + id + "' failed: " + e.getMessage(), e);
      }
    }
    return out;
  }

  static float[] unit(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    if (norm == 0) {
      return v;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] * inv;
    }
    return out;
  }
}
